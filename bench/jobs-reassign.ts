// The `reassign` scenario of `npm run bench:jobs`: reassign-by-load moving 10,000 awaiting
// clients of offline operators to online colleagues (bench/lib-jobs-reassign.ts).
import { runReassignScenario } from './lib-jobs-reassign';
import type { JobScenario } from './lib-jobs';

const TARGET_MS = 2_000;

export const reassignScenario: JobScenario = {
  name: 'reassign',
  what: `reassign-by-load moving every awaiting client of 100 offline operators to 100 online ones — target ≤ ${TARGET_MS / 1000} s for 10,000`,
  options: {
    'reassign-clients': { help: 'clients to move', default: 10_000 },
    'reassign-operators': { help: 'operators (half offline holding the clients, half online)', default: 200 },
  },
  async run({ databaseUrl, rounds, option }) {
    const clients = option('reassign-clients');
    const results = await runReassignScenario({
      url: databaseUrl,
      clients,
      operators: option('reassign-operators'),
      rounds,
    });
    const worst = Math.max(...results.map((r) => r.reassignMs));
    return {
      correct: results.every((r) => r.moved === clients && r.countsOff === 0),
      lines: [
        ...results.map(
          (r) =>
            `  round ${r.round}: ${r.moved} clients moved in ${r.reassignMs.toFixed(0)} ms · baseline (one UPDATE of the same rows) ${r.baselineMs.toFixed(0)} ms · ratio ${(r.reassignMs / r.baselineMs).toFixed(1)}× · load spread ${r.loadSpread} · ${r.notices} notices · loads exact`,
        ),
        `  ${worst <= TARGET_MS ? 'PASS' : 'MISS'}: worst ${worst.toFixed(0)} ms against ≤ ${TARGET_MS} ms`,
      ],
    };
  },
};
