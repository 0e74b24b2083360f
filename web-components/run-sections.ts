// The parts of a run's page, shown as tabs under its title. A screen about one run (its exceptions,
// a what-if) adds itself here beside its route in routes.ts.

export interface RunSection {
  label: string;
  /** The hash route of this part for a run. */
  href: (id: number) => string;
}

export const RUN_SECTIONS: RunSection[] = [
  { label: 'Summary and rated calls', href: (id) => `#/runs/${id}` },
  { label: 'Exceptions', href: (id) => `#/runs/${id}/exceptions` },
  { label: 'What if', href: (id) => `#/runs/${id}/whatif` },
];
