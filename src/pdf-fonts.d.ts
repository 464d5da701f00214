/** The URL of the PDF's font for each script Noto Sans lacks, set by scripts/pdf-fonts.ts at build time. */
declare module 'virtual:pdf-fonts' {
  const urls: Record<import('./domain/script-runs').OtherScript, string>;
  export default urls;
}
