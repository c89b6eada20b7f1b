import { geometryBridge } from '../../geometry/bridge';
import { geometryStore, useGeometry } from '../../geometry/store';
import { useUi } from '../../state/store';

/** Reads a dropped or chosen .safetensors file as a section model. */
async function loadFile(file: File): Promise<void> {
  const bytes = await file.arrayBuffer();
  geometryBridge.addFile(`file:${file.name}:${file.size}`, file.name, bytes, 'real', 'file');
}

/** The two models the two-model analyses use: the engine's A and B, loaded files or trained ones. */
export function ModelPicker() {
  const engine = useUi((s) => s.models);
  const models = useGeometry((s) => s.models);
  const selection = useGeometry((s) => s.selection);
  const options = [
    ...(['A', 'B'] as const).map((slot) => ({
      id: slot,
      label: `model ${slot}${engine[slot] ? ` — ${engine[slot]!.name}` : ' (not loaded)'}`,
    })),
    ...models.filter((m) => m.kind === 'real').map((m) => ({ id: m.id, label: m.name })),
  ];
  const select = (role: 'first' | 'second') => (
    <select
      value={selection[role]}
      data-testid={`geometry-${role}`}
      onChange={(e) => geometryStore.dispatch({ type: 'select', role, id: e.target.value })}
    >
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label}
        </option>
      ))}
    </select>
  );
  return (
    <div className="geo-models">
      <label>First model {select('first')}</label>
      <label>Second model {select('second')}</label>
      <label className="geo-file">
        Load a LeNet5 .safetensors
        <input
          type="file"
          accept=".safetensors"
          data-testid="geometry-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void loadFile(f).catch((err) => geometryStore.dispatch({ type: 'error', message: String(err) }));
            e.target.value = '';
          }}
        />
      </label>
    </div>
  );
}
