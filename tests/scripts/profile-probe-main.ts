// A thread entry for cpu-profile-summary.test.ts: spends its time in one named function, so that
// a CPU profile of its bundle has that function on top.
function spinForProfile(ms: number): number {
  const until = Date.now() + ms;
  let x = 0;
  while (Date.now() < until) for (let i = 0; i < 10_000; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

process.stdout.write(`${spinForProfile(400)}\n`);
