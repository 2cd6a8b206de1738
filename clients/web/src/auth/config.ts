/** How to sign in at this hub (src/http/console.ts, `/console/config.json`). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

export interface ConsoleConfig {
  demoSignIn: boolean;
  codeSignIn: boolean;
  oidc: OidcSettings | null;
  graphiql: boolean;
}

let loaded: Promise<ConsoleConfig> | null = null;

export function consoleConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch('/console/config.json').then((res) => {
    if (!res.ok) throw new Error(`The hub answered ${res.status}.`);
    return res.json() as Promise<ConsoleConfig>;
  });
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}

export interface DemoUser {
  story: string;
  email: string;
  role: string;
  name: string;
  organisation: string;
}

export async function demoUsers(): Promise<DemoUser[]> {
  const res = await fetch('/console/demo-users');
  if (!res.ok) return [];
  return ((await res.json()) as { users: DemoUser[] }).users;
}
