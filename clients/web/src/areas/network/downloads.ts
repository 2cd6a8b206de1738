/**
 * The network's files (src/http/network-files.ts): CSV files and the printable monthly report,
 * downloaded with the bearer token (auth/bearer-download.ts).
 *
 * The report is downloaded too, not opened from its Blob in a tab: a blob: page inherits the
 * console's Content-Security-Policy (`style-src 'self'`), which would block the report's own
 * styles; opened from the file, it is shown as the hub made it.
 */
import { bearerDownload } from '../../auth/bearer-download.ts';

export type NetworkFile = 'flows.csv' | 'response-times.csv' | 'gaps.csv' | 'report.html';

export function networkFileUrl(file: NetworkFile, params: Record<string, string>): string {
  return `/network/${file}?${new URLSearchParams(params).toString()}`;
}

/** Downloads the file; resolves with its name once the browser has it. */
export function downloadNetworkFile(
  file: NetworkFile,
  params: Record<string, string>,
  fallbackName: string,
): Promise<string> {
  return bearerDownload(networkFileUrl(file, params), fallbackName);
}
