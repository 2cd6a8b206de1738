/**
 * The edition's exports (src/http/event-exports.ts), downloaded with the bearer token
 * (auth/bearer-download.ts).
 */
import { bearerDownload, DownloadError } from '../../auth/bearer-download.ts';

export type ExportFile = 'participants.csv' | 'badges.csv' | 'badges.html';

/** Why an export failed: the HTTP status (0: no answer) and the hub's words. */
export { DownloadError as ExportError };

/** The export's address: the participant list's filter as query parameters, and the language. */
export function exportUrl(slug: string, file: ExportFile, params: URLSearchParams): string {
  const query = params.toString();
  return `/events/${encodeURIComponent(slug)}/${file}${query ? `?${query}` : ''}`;
}

/** Downloads the export; resolves with the file's name once the browser has it. */
export function downloadExport(slug: string, file: ExportFile, params: URLSearchParams): Promise<string> {
  return bearerDownload(exportUrl(slug, file, params), `${slug}-${file}`);
}
