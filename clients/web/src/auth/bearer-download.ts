/**
 * Files the hub serves over plain HTTP that need the bearer token, which a link cannot send (the
 * edition's exports, the network's files): fetched with the token (renewed once after a 401, as
 * GraphQL requests are), then handed to the browser as a download from a Blob.
 */
import { sessions } from './session.ts';

/** Why a download failed: the HTTP status (0: no answer) and the hub's words. */
export class DownloadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Downloads `url`; resolves with the file's name once the browser has it. */
export async function bearerDownload(url: string, fallbackName: string): Promise<string> {
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
    throw new DownloadError(0, err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new DownloadError(res.status, body?.error ?? `HTTP ${res.status}`);
  }
  const blob = await res.blob();
  const disposition = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  const name = disposition?.[1] ?? fallbackName;
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
