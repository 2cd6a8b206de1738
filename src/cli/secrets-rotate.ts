/**
 * `npm run secrets:rotate`: re-seals every secret kept in the database (webhook secrets, signing
 * keys) with SECRETS_KEY, in one transaction. Values are opened with SECRETS_KEY_OLD (the key being
 * replaced), the development key file in DATA_DIR if there is one, or read as they are if clear.
 * A value that opens with none of them stops the command and changes nothing.
 *
 * To replace a key without stopping the hubs: restart them with SECRETS_KEY=<new> and
 * SECRETS_KEY_OLD=<old> (they open both, seal with the new), run this command with the same two,
 * then restart them without SECRETS_KEY_OLD.
 *
 *     npm run secrets:rotate -- --generate      prints a new random key
 *     npm run secrets:rotate -- --signing-key   also retires the token-signing key for a new one
 */
import {
  configureSecrets,
  generateSecretsKey,
  parseSecretsKey,
  readDevelopmentKey,
  SecretBox,
} from '../shared/secrets.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.some((a) => !['--generate', '--signing-key'].includes(a))) {
  console.error('usage: SECRETS_KEY=<new> SECRETS_KEY_OLD=<old> npm run secrets:rotate [-- --signing-key]');
  console.error('       npm run secrets:rotate -- --generate');
  process.exit(2);
}
if (args.includes('--generate')) {
  console.log(generateSecretsKey());
  process.exit(0);
}

// Loaded only now: `--generate` needs no database.
const { withCliDatabase } = await import('./cli-database.ts');
const { sealSecretsAtRest } = await import('../modules/accounts/secrets-at-rest.ts');
const { rotateSigningKey } = await import('../modules/accounts/signing-keys.service.ts');

await withCliDatabase(async ({ prisma }, config) => {
  if (!config.SECRETS_KEY) {
    throw new Error('Set SECRETS_KEY to the new key (and SECRETS_KEY_OLD to the one it replaces).');
  }
  const openers = [config.SECRETS_KEY_OLD ? parseSecretsKey(config.SECRETS_KEY_OLD) : null];
  openers.push(readDevelopmentKey(config.dataDir));
  const box = new SecretBox(
    parseSecretsKey(config.SECRETS_KEY)!,
    openers.filter((k): k is Buffer => k !== null),
  );
  const counts = await sealSecretsAtRest(prisma, box, 'not-current');
  console.error(
    `Re-sealed with key ${box.keyId}: ${counts.webhookSecrets} webhook secret(s), ${counts.signingKeys} signing key(s), ${counts.editionCodes} event registration code(s).`,
  );
  if (args.includes('--signing-key')) {
    configureSecrets(config);
    const { retired, kid } = await rotateSigningKey(prisma);
    console.error(
      `Signing key ${kid} is current; retired ${retired.join(', ') || 'none'} (in the JWKS for AUTH_TOKEN_TTL more).`,
    );
  }
});
