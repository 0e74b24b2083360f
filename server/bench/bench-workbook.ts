// The benchmark's big workbook: 100,000 numbers (5,000 of them ranges of 100), 20,000
// destinations, 50,000 rates, written with exceljs's streaming writer. Deterministic, so two runs
// measure the same file.

import ExcelJS from 'exceljs';
import { CALL_CLASSES } from '../../rules/workbook/rows.js';

export interface BenchWorkbookSize {
  customers: number;
  numbers: number;
  ranges: number;
  destinations: number;
  tariffs: number;
  rates: number;
}

export const BENCH_SIZE: BenchWorkbookSize = { customers: 10_000, numbers: 100_000, ranges: 5_000, destinations: 20_000, tariffs: 10, rates: 50_000 };

export const benchAccount = (i: number): string => `C${String(i).padStart(6, '0')}`;
/** The i-th owned number: ranges of 100 first (4420 7xxx xx00–99), then single numbers. */
export const benchRangeStart = (i: number): string => `44207${String(i * 100).padStart(7, '0')}`;
export const benchSingle = (i: number): string => `44161${String(i).padStart(7, '0')}`;
/** Destination prefixes: 20,000 distinct, country-code first. */
export const benchPrefix = (i: number): string => (i < 10_000 ? `44${1000 + i}` : `${20_000 + i}`);
export const benchDestination = (i: number): string => `Dest ${i}`;
export const benchTariff = (i: number): string => `Tariff${i}`;

export async function writeBenchWorkbook(path: string, size: BenchWorkbookSize = BENCH_SIZE): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false });
  const sheet = (name: string, header: string[], rows: Iterable<(string | number | null)[]>): void => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).commit();
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
  };
  sheet('Settings', ['Key', 'Value'], [
    ['CountryCode', '44'],
    ['Timezone', 'Europe/London'],
    ['SupplierName', 'Bench Ltd'],
    ['SupplierAddress', '1 Bench Road'],
    ['SupplierVatNumber', 'GB 123 4567 89'],
    ['SupplierCompanyNumber', '000'],
    ['FraudMaxCallsPerMinute', '20'],
  ]);
  sheet('Customers', ['Account', 'Name', 'Email', 'Address', 'PaymentMethod', 'Tariff', 'FallbackMarkup'], (function* () {
    for (let i = 0; i < size.customers; i++) yield [benchAccount(i), `Customer ${i}`, `c${i}@example.com`, `${i} Road`, 'DirectDebit', benchTariff(i % size.tariffs), 10];
  })());
  sheet('Numbers', ['Account', 'Number', 'RangeEnd', 'Site', 'DateSold'], (function* () {
    for (let i = 0; i < size.ranges; i++) {
      const start = benchRangeStart(i);
      yield [benchAccount(i % size.customers), start, start.slice(0, -2) + '99', 'HQ', '2025-01-01'];
    }
    for (let i = 0; i < size.numbers - size.ranges; i++) yield [benchAccount(i % size.customers), benchSingle(i), null, 'Branch', '2025-01-01'];
  })());
  sheet('Destinations', ['Prefix', 'Destination', 'CallClass'], (function* () {
    for (let i = 0; i < size.destinations; i++) yield [benchPrefix(i), benchDestination(i), i < 10_000 ? 'National' : CALL_CLASSES[4 + (i % 2)]];
  })());
  sheet('Tariffs', ['Tariff', 'ChargeDecimals'], (function* () {
    for (let i = 0; i < size.tariffs; i++) yield [benchTariff(i), 4];
  })());
  sheet('TimeBands', ['TimeBand', 'Days', 'From', 'To'], [
    ['Peak', 'Mon-Fri', '08:00', '18:00'],
    ['OffPeak', 'Mon-Fri', '18:00', '08:00'],
    ['Weekend', 'Sat,Sun', '00:00', '24:00'],
  ]);
  // 50,000 rates: each tariff prices its share of destinations, blank band, with a few price steps.
  sheet('Rates', ['Tariff', 'Destination', 'PerMinute', 'ConnectionFee', 'IncrementSeconds'], (function* () {
    for (let i = 0; i < size.rates; i++) {
      const t = i % size.tariffs;
      const d = Math.floor(i / size.tariffs) % size.destinations;
      yield [benchTariff(t), benchDestination(d), Number(((d % 97) / 1000 + 0.005).toFixed(4)), d % 5 === 0 ? 0.01 : null, d % 3 === 0 ? 60 : 1];
    }
  })());
  await wb.commit();
}
