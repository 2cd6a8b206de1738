/**
 * The edition's exports (src/http/event-exports.ts): plain HTTP downloads that need the bearer
 * token, which a link cannot send. The file is fetched with the token (renewed once after a 401,
 * as GraphQL requests are), then handed to the browser as a download from a Blob.
 */
import { sessions } from '../../auth/session.ts';

export type ExportFile = 'participants.csv' | 'badges.csv' | 'badges.html';

/** Why a download failed: the HTTP status (0: no answer) and the hub's words. */
export class ExportError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The export's address: the participant list's filter as query parameters, and the language. */
export function exportUrl(slug: string, file: ExportFile, params: URLSearchParams): string {
  const query = params.toString();
  return `/events/${encodeURIComponent(slug)}/${file}${query ? `?${query}` : ''}`;
}

/** Downloads the export; resolves with the file's name once the browser has it. */
export async function downloadExport(
  slug: string,
  file: ExportFile,
  params: URLSearchParams,
): Promise<string> {
  const url = exportUrl(slug, file, params);
  const send = (token: string | null) =>
    fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  let res: Response;
  try {
    res = await send(await sessions.validToken());
    if (res.status === 401 && sessions.session) {
      const renewed = await sessions.refresh();
      if (renewed) res = await send(renewed.token);
    }
  } catch (err) {
    throw new ExportError(0, err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new ExportError(res.status, body?.error ?? `HTTP ${res.status}`);
  }
  const blob = await res.blob();
  const disposition = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  const name = disposition?.[1] ?? `${slug}-${file}`;
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the Blob when the download starts; freed a while after.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
