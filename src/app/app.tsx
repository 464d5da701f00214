import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { BrowserRouter } from 'react-router';
import { createQueryClient, followDatabaseChanges } from '../queries/query-client';
import { SessionProvider } from '../session/current-user';
import { AppRoutes } from './routes';
import { Layout } from './layout';

export function App() {
  const [client] = useState(createQueryClient);
  useEffect(() => followDatabaseChanges(client), [client]);
  return (
    <QueryClientProvider client={client}>
      <SessionProvider>
        <BrowserRouter>
          <Layout>
            <AppRoutes />
          </Layout>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
