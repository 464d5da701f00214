// A realistic hospital lab's printers and materials, loaded with the demo cases;
// the demo cases print on these printers with these materials.
import type { MaterialInput, PrinterInput } from './lab-settings';

export const DEMO_PRINTERS: readonly PrinterInput[] = [
  { label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' },
  { label: 'J750 DA', maker: 'Stratasys', model: 'J750 Digital Anatomy', technology: 'material-jetting' },
  { label: 'Form 3B #2', maker: 'Formlabs', model: 'Form 3B+', technology: 'vat-photopolymerization' },
  { label: 'Fuse 1', maker: 'Formlabs', model: 'Fuse 1+ 30W', technology: 'powder-bed-fusion' },
];

/** Printers the demo cases print on (the J750 stays unused, so it can be deleted in a demo). */
export const DEMO_CASE_PRINTERS: readonly PrinterInput[] = DEMO_PRINTERS.filter((p) => p.label !== 'J750 DA');

export const DEMO_MATERIALS: readonly MaterialInput[] = [
  { name: 'VeroClear', colour: 'clear', biocompatible: false, sterilizable: false, lot: '' },
  { name: 'Agilus30 (flexible)', colour: 'clear', biocompatible: false, sterilizable: false, lot: '' },
  { name: 'Biocompatible resin MED610', colour: 'clear', biocompatible: true, sterilizable: true, lot: 'MED610-2405-118' },
  { name: 'PA12 nylon', colour: 'grey', biocompatible: true, sterilizable: true, lot: 'PA12-24-0931' },
  { name: 'Surgical Guide resin', colour: 'light orange', biocompatible: true, sterilizable: true, lot: 'SG-0211-07' },
  { name: 'Tough 2000 resin', colour: 'grey', biocompatible: false, sterilizable: false, lot: '' },
];
