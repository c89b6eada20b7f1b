import type { BinaryComparison } from '../../../worker/geometryProtocol';
import { count, pct } from './format';

/** Hamming distances, function distance, test errors and the flip path's barrier of a binary pair. */
export function BinaryResults({ r }: { r: BinaryComparison }) {
  const rows: Array<[string, string]> = [
    ['Hamming distance', `${count(r.hamming)} of 61,470 weights (${pct(r.hammingFraction)})`],
    ['after aligning B to A', `${count(r.hammingAligned)} (${pct(r.hammingAlignedFraction)})`],
    [
      'per layer (raw)',
      Object.entries(r.perLayer)
        .map(([l, f]) => `${l} ${pct(f, 1)}`)
        .join(', '),
    ],
    ['function distance', pct(r.functionDistance)],
    ['test errors', `${pct(r.testErrorA)} and ${pct(r.testErrorB)}`],
    ['barrier along the flip path', `train ${pct(r.profile.barrier)}, test ${pct(r.profile.testBarrier)}`],
  ];
  return (
    <table className="geo-table" data-testid="geo-binary-results">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
