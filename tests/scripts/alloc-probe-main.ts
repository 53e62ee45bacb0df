// A thread entry for alloc-profile-summary.test.ts: allocates short-lived garbage in one named
// function, so that an allocation profile of its bundle has that function on top.
function makeGarbage(rounds: number): number {
  let kept = 0;
  for (let i = 0; i < rounds; i++) {
    const record = { index: i, text: `row ${i}`.repeat(8), list: [i, i + 1, i + 2] };
    kept += record.text.length + record.list.length;
  }
  return kept;
}

process.stdout.write(`${makeGarbage(400_000)}\n`);
