import type { MemberRow, PairRow } from '../../../worker/geometryProtocol';
import { energyAt } from '../../geometry/stats';
import { fixed, pct } from './format';

/** The population's member and pair tables (flatness as δE at σ). */
export function PopulationTables({ members, pairs, sigma }: { members: MemberRow[]; pairs: PairRow[]; sigma: number }) {
  return (
    <div className="geo-tables">
      <table className="geo-table" data-testid="geo-pop-members">
        <thead>
          <tr>
            <th>model</th>
            <th>optimiser</th>
            <th>test error</th>
            <th>train error</th>
            <th>δE(σ = {sigma})</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.name}>
              <td>
                {m.name}
                {m.testError > 0.5 ? ' (did not train: above 50 % error)' : ''}
              </td>
              <td>{m.recipe}</td>
              <td className="num">{pct(m.testError)}</td>
              <td className="num">{pct(m.trainError)}</td>
              <td className="num">{pct(energyAt(m.flatness, sigma))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="geo-table" data-testid="geo-pop-pairs">
        <thead>
          <tr>
            <th>pair</th>
            <th>geodesic (rad)</th>
            <th>function distance</th>
            <th>barrier (train)</th>
            <th>barrier (test)</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={`${p.a}|${p.b}`}>
              <td>
                {p.a} ↔ {p.b}
              </td>
              <td className="num">{fixed(p.geodesic, 2)}</td>
              <td className="num">{pct(p.functionDistance)}</td>
              <td className="num">{pct(p.barrier)}</td>
              <td className="num">{pct(p.testBarrier)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
