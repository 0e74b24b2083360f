// The columns of a run's grids: rated.csv's and exceptions.csv's (SPEC §6), with labels for people.
// Keys are the CSV headers the server's grid rows use.

import type { GridColumn } from './rb-server-grid.js';

export const RATED_COLUMNS: GridColumn[] = [
  { key: 'file', label: 'File', width: '8rem' },
  { key: 'line', label: 'Line', numeric: true, width: '6rem' },
  { key: 'id', label: 'Call id', width: '9rem' },
  { key: 'start', label: 'Start', width: '15.5rem', flexGrow: 0 },
  { key: 'direction', label: 'Dir.', width: '5rem', flexGrow: 0 },
  { key: 'caller', label: 'Caller', width: '9rem' },
  { key: 'called', label: 'Called', width: '9rem' },
  { key: 'extension', label: 'Ext.', width: '5rem' },
  { key: 'account', label: 'Account', width: '7rem' },
  { key: 'number', label: 'Number', width: '9rem' },
  { key: 'site', label: 'Site', width: '7rem' },
  { key: 'destination', label: 'Destination', width: '10rem' },
  { key: 'class', label: 'Class', width: '7rem' },
  { key: 'band', label: 'Band', width: '6rem' },
  { key: 'tariff', label: 'Tariff', width: '8rem' },
  { key: 'duration', label: 'Seconds', numeric: true, width: '6.5rem' },
  { key: 'billed_seconds', label: 'Billed s', numeric: true, width: '6.5rem' },
  { key: 'charge', label: 'Charge', numeric: true, money: true, width: '7.5rem' },
  { key: 'cost', label: 'Cost', numeric: true, money: true, width: '7.5rem' },
  { key: 'method', label: 'Method', width: '6.5rem' },
];

export const EXCEPTION_COLUMNS: GridColumn[] = [
  { key: 'file', label: 'File', width: '8rem' },
  { key: 'line', label: 'Line', numeric: true, width: '6rem' },
  { key: 'id', label: 'Call id', width: '9rem' },
  { key: 'start', label: 'Start', width: '15.5rem', flexGrow: 0 },
  { key: 'caller', label: 'Caller', width: '9rem' },
  { key: 'called', label: 'Called', width: '9rem' },
  { key: 'duration', label: 'Seconds', numeric: true, width: '6.5rem' },
  { key: 'reason', label: 'Reason', width: '11rem' },
  { key: 'detail', label: 'Detail', width: '20rem', flexGrow: 2 },
];
