import { useEffect, useState } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { JobBar } from './JobBar';
import { ModelPicker } from './ModelPicker';
import { CanonicalPanel } from './CanonicalPanel';
import { DistancesPanel } from './DistancesPanel';
import { LandscapePanel } from './LandscapePanel';
import { FlatnessPanel } from './FlatnessPanel';
import { PopulationPanel } from './PopulationPanel';
import { ChainPanel } from './ChainPanel';
import { BinaryPanel } from './BinaryPanel';
import './geometry.css';

/** The backend the page was asked for (`?backend=`), which the geometry worker follows too. */
const requestedBackend = new URLSearchParams(location.search).get('backend');

/** The panels; mounting them starts the geometry worker (it then stays, so hiding keeps a job running). */
function GeometryBody() {
  useEffect(() => geometryBridge.start(requestedBackend), []);
  return (
    <>
      <JobBar />
      <ModelPicker />
      <div className="geo-grid">
        <CanonicalPanel />
        <DistancesPanel />
        <LandscapePanel />
        <FlatnessPanel />
        <PopulationPanel />
        <ChainPanel />
        <BinaryPanel />
      </div>
    </>
  );
}

/**
 * The Geometry section (issue #14; SPEC §7; Pittorino et al. 2022): the landscape after removing the
 * scale and permutation symmetries, computed in its own worker so the path worker and the page stay free.
 */
export function GeometrySection() {
  const [open, setOpen] = useState(false);
  return (
    <div className="step geometry" data-testid="geometry-section">
      <header className="geo-head">
        <h3>Pittorino et al. (2022): the landscape after removing symmetries</h3>
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="geometry-toggle">
          {open ? 'Hide' : 'Open'} the Geometry section
        </button>
      </header>
      <p className="lead">
        Rescaling a unit’s weights and permuting hidden units do not change what a network computes (Pittorino et al.
        2022). With both symmetries removed, each model is a point on a product of spheres: here you measure distances,
        the error along geodesics, flatness, and chains between minimisers, for real and binary LeNet5.
      </p>
      {open && <GeometryBody />}
    </div>
  );
}
