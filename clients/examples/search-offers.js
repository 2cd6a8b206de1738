// Finds published offers (no credential needed) and prints one line each.
//   MAILLAGE_URL=https://hub.example.lu node search-offers.js "cours de français"
import { createMaillageClient } from '@maillage/client';

const hub = createMaillageClient({ url: process.env.MAILLAGE_URL ?? 'http://localhost:4000' });
const text = process.argv.slice(2).join(' ');
const page = await hub.catalogue.search({ filter: text ? { text } : {}, first: 10, lang: 'FR' });
console.log(`${page.totalCount} offers`);
for (const offer of page.items) {
  const free = offer.capacity.free === null ? '' : ` (${offer.capacity.free} free)`;
  console.log(`- ${offer.title.text}, ${offer.organisation.name}${free}`);
}
