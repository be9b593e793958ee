// Popup: save text as a file through a Blob object URL and an <a download> (no downloads permission needed).
import { t } from '@/src/i18n';

export function downloadText(filename: string, text: string, type: string, doc: Document = document): void {
  downloadBlob(filename, new Blob([text], { type }), doc);
}

export function downloadBlob(filename: string, blob: Blob, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download before Chrome has read the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const CSV_TYPE = 'text/csv;charset=utf-8';
export const JSON_TYPE = 'application/json';

/** Build the text and download it; returns the error message instead of throwing (for the popup's alert). */
export function tryDownload(filename: string, makeText: () => string, type: string): string | null {
  try {
    downloadText(filename, makeText(), type);
    return null;
  } catch (e) {
    return t('export_failed', e instanceof Error ? e.message : String(e));
  }
}
