export const STATUS_FILTERS = [
  { value: 'open', label: 'All open cases' },
  { value: 'imaging', label: 'In imaging' },
  { value: 'segmenting', label: 'In segmenting' },
  { value: 'printing', label: 'In printing' },
  { value: 'delivery', label: 'In delivery' },
  { value: 'awaiting-use', label: 'Awaiting use in care' },
  { value: 'ready-for-billing', label: 'Ready to close' },
  { value: 'closed', label: 'Closed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'all', label: 'All cases' },
] as const;


