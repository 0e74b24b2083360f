// The bundled sample: Northwind Voice Ltd, a small UK reseller, as workbook rows in tab order
// (header names from rules/columns.ts). Real Ofcom drama-range numbers (020 7946 0xxx, 0113 496 0xxx,
// 07700 900xxx, 08081 570xxx …) so nothing here can ring a real line.

import type { TabKey } from '../rules/workbook/columns.js';

export type SampleCell = string | number | Date | null;
/** header -> value; missing headers stay empty. */
export type SampleRow = Record<string, SampleCell>;

const d = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

export const SAMPLE_SETTINGS: [string, string][] = [
  ['Currency', 'GBP'],
  ['CountryCode', '44'],
  ['NationalPrefix', '0'],
  ['InternationalPrefix', '00'],
  ['Timezone', 'Europe/London'],
  ['ChargeDecimals', '4'],
  ['Rounding', 'HalfUp'],
  ['BandSplit', 'Start'],
  ['TaxRate', '20'],
  ['InvoicePrefix', 'NWV-'],
  ['FraudMaxCallsPerMinute', '10'],
  ['FraudShortCallSeconds', '2'],
  ['FraudShortCallsPerDay', '40'],
  ['BillableDispositions', 'ANSWERED'],
  ['ShortCodeDigits', '6'],
  ['SupplierName', 'Northwind Voice Ltd'],
  ['SupplierAddress', '4 Quayside, Newcastle upon Tyne, NE1 3DX'],
  ['SupplierVatNumber', 'GB 123 4567 89'],
  ['SupplierCompanyNumber', '09876543'],
];

export const SAMPLE_CUSTOMERS: SampleRow[] = [
  { Account: 'ACME01', Name: 'Acme Widgets', Company: 'Acme Widgets Ltd', Email: 'accounts@acme-widgets.example', Address: '12 Tower Street, London, EC3R 5BT', VatNumber: 'GB 222 3333 44', AccountType: 'Postpaid', CreditLimit: 2500, PaymentTermsDays: 14, PaymentMethod: 'DirectDebit', Status: 'Active', Tariff: 'Business', DiscountPlan: 'BUNDLE500', InvoiceNote: 'Thank you for your business.' },
  { Account: 'BRIGHT02', Name: 'Bright Smile Dental', Company: 'Bright Smile Dental LLP', Email: 'practice@brightsmile.example', Address: '3 Colmore Row, Birmingham, B3 2BJ', AccountType: 'Postpaid', CreditLimit: 500, PaymentTermsDays: 30, PaymentMethod: 'Card', Status: 'Active', Tariff: 'Standard' },
  { Account: 'CARTER03', Name: 'Carter & Sons Solicitors', Company: 'Carter & Sons LLP', Email: 'finance@cartersons.example', Address: '8 Queen Street, Edinburgh, EH2 1JE', AccountType: 'Postpaid', PaymentTermsDays: 30, PaymentMethod: 'DirectDebit', Status: 'Active', Tariff: 'Standard' },
  { Account: 'DELTA04', Name: 'Delta Logistics', Company: 'Delta Logistics (Wales) Ltd', Email: 'ap@deltalogistics.example', Address: 'Unit 5, Pengam Green, Cardiff, CF3 2EE', AccountType: 'Postpaid', PaymentTermsDays: 30, PaymentMethod: 'Manual', Status: 'Active', Markup: 15, InvoiceNote: 'Calls billed at carrier cost plus 15%.' },
  { Account: 'EVANS05', Name: "Evans' Café", Company: 'Evans Catering Ltd', Email: 'hello@evanscafe.example', Address: '21 Park Street, Bristol, BS1 5NH', AccountType: 'Prepaid', CreditLimit: 0, PaymentMethod: 'Card', Status: 'Active', Tariff: 'Standard', ZeroInvoice: 'Yes' },
  { Account: 'FOXG06', Name: 'Fox & Gander', Company: 'Fox & Gander Inns Ltd', Email: 'office@foxandgander.example', Address: '2 Broad Street, Reading, RG1 2BH', AccountType: 'Postpaid', PaymentMethod: 'Manual', Status: 'Archived', ArchivedDate: d('2026-09-30'), Tariff: 'Standard' },
  { Account: 'GREEN07', Name: 'Greenfield Surgery', Company: 'Greenfield Medical Partnership', Email: 'pm@greenfield.example', Address: '40 Deansgate, Manchester, M3 2FW', AccountType: 'Postpaid', PaymentTermsDays: 30, PaymentMethod: 'DirectDebit', Status: 'Active', Tariff: 'Business', DiscountPlan: 'LOYAL10', FallbackMarkup: 20 },
  { Account: 'HILL08', Name: 'Hillside Hotel', Company: 'Hillside Hotels Ltd', Email: 'reception@hillside.example', Address: '1 Grey Street, Newcastle upon Tyne, NE1 6EE', TaxRate: 20, AccountType: 'Postpaid', PaymentTermsDays: 30, PaymentMethod: 'DirectDebit', Status: 'Active', Tariff: 'Business' },
  { Account: 'IVY09', Name: 'Ivy Lane Florist', Company: 'Ivy Lane Flowers Ltd', Email: 'ivy@ivylane.example', Address: '7 Leeds Road, Leeds, LS1 4AP', AccountType: 'Postpaid', PaymentMethod: 'Card', Status: 'Active', InvoiceNote: 'New customer: tariff to be agreed.' },
];

export const SAMPLE_NUMBERS: SampleRow[] = [
  // A 100-number DDI range at head office.
  { Account: 'ACME01', Number: '020 7946 0000', RangeEnd: '020 7946 0099', NumberType: 'AutoDetect', Description: 'Head office DDI range', Site: 'London HQ', Status: 'Active', DateSold: d('2025-03-01') },
  { Account: 'ACME01', Number: '0113 496 0000', Description: 'Leeds office main line', Site: 'Leeds', Status: 'Active', DateSold: d('2026-10-06'), CallsStartDate: d('2026-10-06') },
  { Account: 'BRIGHT02', Number: '0121 496 0010', Description: 'Reception', Site: 'Birmingham', Status: 'Active', DateSold: d('2024-06-01') },
  { Account: 'BRIGHT02', Number: '0121 496 0011', Description: 'Fax line (suspended for non-payment)', Site: 'Birmingham', Status: 'Suspended', DateSold: d('2024-06-01') },
  { Account: 'CARTER03', Number: '0131 496 0020', Description: 'Main line', Site: 'Edinburgh', Status: 'Active', DateSold: d('2023-01-10') },
  { Account: 'CARTER03', Number: '0131 496 0021', Description: 'Second line, cancelled', Site: 'Edinburgh', Status: 'Dropped', DateSold: d('2023-01-10'), DroppedDate: d('2026-10-10') },
  // Moves from Carter & Sons to Greenfield Surgery on 15 October.
  { Account: 'CARTER03', Number: '0161 496 0050', Description: 'Manchester branch (moved to Greenfield)', Site: 'Manchester', Status: 'Dropped', DateSold: d('2025-01-01'), DroppedDate: d('2026-10-14') },
  { Account: 'GREEN07', Number: '0161 496 0050', Description: 'Appointments line', Site: 'Deansgate', Status: 'Active', DateSold: d('2026-10-15') },
  { Account: 'GREEN07', Number: '0151 496 0060', Description: 'Liverpool branch', Site: 'Liverpool', Status: 'Active', DateSold: d('2025-05-01') },
  // A PBX billed per extension, with a catch-all for the rest.
  { Account: 'DELTA04', Number: '029 2018 0100', Description: 'PBX trunk', Site: 'Cardiff Depot', Status: 'Active', DateSold: d('2025-02-01') },
  { Account: 'DELTA04', Number: '029 2018 0100', Extension: '201', Description: 'Transport office', Site: 'Cardiff Depot', Status: 'Active', DateSold: d('2025-02-01') },
  { Account: 'DELTA04', Number: '029 2018 0100', Extension: '202', Description: 'Warehouse', Site: 'Newport Warehouse', Status: 'Active', DateSold: d('2025-02-01') },
  { Account: 'EVANS05', Number: '0117 496 0030', Description: 'Café phone', Site: 'Bristol', Status: 'Active', DateSold: d('2026-01-15') },
  { Account: 'EVANS05', Number: '0117 496 0031', Description: 'Card terminal line (not billed)', Site: 'Bristol', Status: 'NonBillable', DateSold: d('2026-01-15') },
  { Account: 'FOXG06', Number: '0118 496 0040', Description: 'Bar', Site: 'Reading', Status: 'Dropped', DateSold: d('2022-04-01'), DroppedDate: d('2026-09-30') },
  // A freephone number billed for the calls it receives.
  { Account: 'HILL08', Number: '0808 157 0000', NumberType: 'AutoDetect', Description: 'Reservations freephone', Site: 'Newcastle', Status: 'Active', DateSold: d('2025-07-01'), Direction: 'Inbound' },
  { Account: 'HILL08', Number: '0191 498 0070', Description: 'Front desk', Site: 'Newcastle', Status: 'Active', DateSold: d('2025-07-01'), AltCdrNumbers: '0191 498 0071' },
  { Account: 'IVY09', Number: '0113 496 0090', Description: 'Shop', Site: 'Leeds', Status: 'Active', DateSold: d('2026-10-01') },
];

export const SAMPLE_DESTINATIONS: SampleRow[] = [
  { Prefix: '441', Destination: 'UK Geographic', CallClass: 'National' },
  { Prefix: '442', Destination: 'UK Geographic', CallClass: 'National' },
  { Prefix: '443', Destination: 'UK 03', CallClass: 'NonGeographic' },
  { Prefix: '4470', Destination: 'UK Personal Numbering', CallClass: 'Surcharges' },
  { Prefix: '4471', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4472', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4473', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4474', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4475', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4476', Destination: 'UK Pagers', CallClass: 'Surcharges' },
  { Prefix: '4477', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4478', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '4479', Destination: 'UK Mobile', CallClass: 'Mobile' },
  { Prefix: '44800', Destination: 'UK Freephone', CallClass: 'NonGeographic' },
  { Prefix: '44808', Destination: 'UK Freephone', CallClass: 'NonGeographic' },
  { Prefix: '4484', Destination: 'UK 084', CallClass: 'NonGeographic' },
  { Prefix: '4487', Destination: 'UK 087', CallClass: 'NonGeographic' },
  { Prefix: '449', Destination: 'UK Premium', CallClass: 'Surcharges' },
  { Prefix: '999', Destination: 'Emergency', CallClass: 'ServiceNumbers' },
  { Prefix: '112', Destination: 'Emergency', CallClass: 'ServiceNumbers' },
  { Prefix: '101', Destination: 'Police non-emergency', CallClass: 'ServiceNumbers' },
  { Prefix: '111', Destination: 'NHS 111', CallClass: 'ServiceNumbers' },
  { Prefix: '118', Destination: 'Directory Enquiries', CallClass: 'ServiceNumbers' },
  { Prefix: '1', Destination: 'USA & Canada', CallClass: 'International' },
  { Prefix: '33', Destination: 'France', CallClass: 'International' },
  { Prefix: '34', Destination: 'Spain', CallClass: 'International' },
  { Prefix: '49', Destination: 'Germany', CallClass: 'International' },
  { Prefix: '353', Destination: 'Ireland', CallClass: 'International' },
  { Prefix: '3538', Destination: 'Ireland Mobile', CallClass: 'International' },
  { Prefix: '61', Destination: 'Australia', CallClass: 'ExtendedInternational' },
  { Prefix: '91', Destination: 'India', CallClass: 'ExtendedInternational' },
  { Prefix: '234', Destination: 'Nigeria', CallClass: 'ExtendedInternational' },
];

export const SAMPLE_TARIFFS: SampleRow[] = [
  { Tariff: 'Standard', Description: 'Small business: per-second billing, 1p connection on UK calls', ChargeDecimals: 4, Rounding: 'HalfUp' },
  { Tariff: 'Business', Description: 'Business: per-second billing, cost + 10% where no rate', FallbackMarkup: 10, ChargeDecimals: 4, Rounding: 'HalfUp' },
  { Tariff: 'Freephone', Description: 'Calls received on freephone numbers, by time of day', ChargeDecimals: 4, Rounding: 'HalfUp' },
];

/** [Tariff, Destination, TimeBand, PerMinute, extras] */
type RateSpec = [string, string, string, number, Partial<Record<string, SampleCell>>?];
const RATE_SPECS: RateSpec[] = [
  ['Standard', 'UK Geographic', 'Peak', 0.025, { ConnectionFee: 0.01 }],
  ['Standard', 'UK Geographic', 'OffPeak', 0.015, { ConnectionFee: 0.01 }],
  ['Standard', 'UK Geographic', 'Weekend', 0.01, { ConnectionFee: 0.01 }],
  ['Standard', 'UK Mobile', 'Peak', 0.06, { ConnectionFee: 0.01 }],
  ['Standard', 'UK Mobile', 'OffPeak', 0.045, { ConnectionFee: 0.01 }],
  ['Standard', 'UK Mobile', 'Weekend', 0.035, { ConnectionFee: 0.01 }],
  ['Standard', 'UK 03', '', 0.025],
  ['Standard', 'UK Freephone', '', 0],
  ['Standard', 'UK 084', '', 0.07, { ConnectionFee: 0.05 }],
  ['Standard', 'UK 087', '', 0.09, { ConnectionFee: 0.05 }],
  ['Standard', 'Emergency', '', 0],
  ['Standard', 'Police non-emergency', '', 0.15],
  ['Standard', 'NHS 111', '', 0],
  ['Standard', 'Directory Enquiries', '', 1.5, { ConnectionFee: 0.5, InitialSeconds: 60, IncrementSeconds: 60 }],
  ['Standard', 'Directory Enquiries', '', 0.5, { FromSecond: 60, IncrementSeconds: 60 }],
  ['Standard', 'USA & Canada', '', 0.04, { MinimumCharge: 0.05 }],
  ['Standard', 'France', '', 0.05, { MinimumCharge: 0.05 }],
  ['Standard', 'Spain', '', 0.05, { MinimumCharge: 0.05 }],
  ['Standard', 'Germany', '', 0.05, { MinimumCharge: 0.05 }],
  ['Standard', 'Ireland', '', 0.05, { MinimumCharge: 0.05 }],
  ['Standard', 'Ireland Mobile', '', 0.12, { MinimumCharge: 0.05 }],
  ['Business', 'UK Geographic', 'Peak', 0.018],
  ['Business', 'UK Geographic', 'OffPeak', 0.01],
  ['Business', 'UK Geographic', 'Weekend', 0.008],
  ['Business', 'UK Mobile', 'Peak', 0.045, { EffectiveTo: d('2026-10-15') }],
  ['Business', 'UK Mobile', 'Peak', 0.04, { EffectiveFrom: d('2026-10-15') }],
  ['Business', 'UK Mobile', 'OffPeak', 0.03],
  ['Business', 'UK Mobile', 'Weekend', 0.025],
  ['Business', 'UK 03', '', 0.018],
  ['Business', 'UK Freephone', '', 0],
  ['Business', 'UK 084', '', 0.06, { ConnectionFee: 0.05 }],
  ['Business', 'UK 087', '', 0.08, { ConnectionFee: 0.05 }],
  ['Business', 'UK Premium', '', 1.2, { ConnectionFee: 0.1, MaximumCharge: 25 }],
  ['Business', 'UK Personal Numbering', '', 0.35],
  ['Business', 'Emergency', '', 0],
  ['Business', 'Police non-emergency', '', 0.15],
  ['Business', 'NHS 111', '', 0],
  ['Business', 'Directory Enquiries', '', 1.2, { ConnectionFee: 0.5, InitialSeconds: 60, IncrementSeconds: 60 }],
  ['Business', 'Directory Enquiries', '', 0.4, { FromSecond: 60, IncrementSeconds: 60 }],
  ['Business', 'USA & Canada', '', 0.03],
  ['Business', 'France', '', 0.04],
  ['Business', 'Spain', '', 0.04],
  ['Business', 'Germany', '', 0.04],
  ['Business', 'Ireland', '', 0.04],
  ['Business', 'Ireland Mobile', '', 0.1],
  ['Business', 'Australia', '', 0.09, { InitialSeconds: 30, IncrementSeconds: 6 }],
  ['Business', 'India', '', 0.12, { InitialSeconds: 30, IncrementSeconds: 6 }],
  // Inbound freephone: the hotel pays for the calls it receives.
  ['Freephone', 'UK Freephone', 'Peak', 0.02],
  ['Freephone', 'UK Freephone', 'OffPeak', 0.012],
  ['Freephone', 'UK Freephone', 'Weekend', 0.012],
];

export const SAMPLE_RATES: SampleRow[] = RATE_SPECS.map(([Tariff, Destination, TimeBand, PerMinute, extra]) => ({ Tariff, Destination, TimeBand, PerMinute, ...extra }));

export const SAMPLE_ASSIGNMENTS: SampleRow[] = [
  // Carter & Sons pay Business prices for calls to mobiles, Standard for the rest.
  { Account: 'CARTER03', CallClass: 'Mobile', Tariff: 'Business' },
  // The new Leeds office of Acme is on Standard for everything.
  { Account: 'ACME01', Number: '0113 496 0000', CallClass: 'All', Tariff: 'Standard' },
  // The hotel pays for calls to its freephone number on the Freephone tariff.
  { Account: 'HILL08', CallClass: 'Inbound', Tariff: 'Freephone' },
  // Greenfield's international calls are cost plus 25%.
  { Account: 'GREEN07', CallClass: 'International', Markup: 25 },
  { Account: 'GREEN07', CallClass: 'ExtendedInternational', Markup: 25 },
];

export const SAMPLE_TIMEBANDS: SampleRow[] = [
  { TimeBand: 'Peak', Days: 'Mon-Fri', From: '08:00', To: '18:00' },
  { TimeBand: 'OffPeak', Days: 'Mon-Fri', From: '18:00', To: '08:00' },
  { TimeBand: 'Weekend', Days: 'Sat,Sun', From: '00:00', To: '24:00' },
  { TimeBand: 'Weekend', Days: 'Hol', From: '00:00', To: '24:00' },
];

export const SAMPLE_HOLIDAYS: SampleRow[] = [
  { Date: d('2026-01-01'), Name: "New Year's Day" },
  { Date: d('2026-04-03'), Name: 'Good Friday' },
  { Date: d('2026-04-06'), Name: 'Easter Monday' },
  { Date: d('2026-05-04'), Name: 'Early May bank holiday' },
  { Date: d('2026-05-25'), Name: 'Spring bank holiday' },
  { Date: d('2026-08-31'), Name: 'Summer bank holiday' },
  { Date: d('2026-12-25'), Name: 'Christmas Day' },
  { Date: d('2026-12-28'), Name: 'Boxing Day (substitute day)' },
];

export const SAMPLE_FEATURES: SampleRow[] = [
  { Account: 'ACME01', Number: '020 7946 0000', Feature: 'DDI range rental (100 numbers)', Kind: 'Recurring', Amount: 25, Quantity: 1, Interval: 'Monthly', StartDate: d('2025-03-01'), Prorate: 'Yes' },
  { Account: 'ACME01', Feature: 'Hosted PBX seat', Kind: 'Recurring', Amount: 6.5, Quantity: 12, Interval: 'Monthly', StartDate: d('2025-03-01') },
  { Account: 'ACME01', Number: '0113 496 0000', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2026-10-06'), Prorate: 'Yes' },
  { Account: 'ACME01', Number: '0113 496 0000', Feature: 'Installation', Kind: 'OneOff', Amount: 99, StartDate: d('2026-10-06') },
  { Account: 'ACME01', Feature: 'Support contract', Kind: 'Recurring', Amount: 150, Interval: 'Quarterly', StartDate: d('2025-04-01') },
  { Account: 'BRIGHT02', Number: '0121 496 0010', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2024-06-01') },
  { Account: 'BRIGHT02', Number: '0121 496 0010', Feature: 'Caller display', Kind: 'Recurring', Amount: 2, Interval: 'Monthly', StartDate: d('2024-06-01') },
  { Account: 'BRIGHT02', Number: '0121 496 0011', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2024-06-01') },
  { Account: 'CARTER03', Number: '0131 496 0020', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2023-01-10') },
  { Account: 'CARTER03', Number: '0131 496 0020', Feature: 'Voicemail', Kind: 'Recurring', Amount: 3, Interval: 'Monthly', StartDate: d('2023-01-10') },
  { Account: 'CARTER03', Number: '0131 496 0021', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2023-01-10') },
  { Account: 'CARTER03', Number: '0161 496 0050', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2025-01-01') },
  { Account: 'DELTA04', Number: '029 2018 0100', Feature: 'SIP trunk channels', Kind: 'Recurring', Amount: 4, Quantity: 8, Interval: 'Monthly', StartDate: d('2025-02-01'), Prorate: 'No' },
  { Account: 'DELTA04', Feature: 'Annual maintenance', Kind: 'Recurring', Amount: 240, Interval: 'Annually', StartDate: d('2025-10-01') },
  { Account: 'EVANS05', Number: '0117 496 0030', Feature: 'Line rental', Kind: 'Recurring', Amount: 10, Interval: 'Monthly', StartDate: d('2026-01-15') },
  { Account: 'EVANS05', Number: '0117 496 0031', Feature: 'Line rental', Kind: 'Recurring', Amount: 10, Interval: 'Monthly', StartDate: d('2026-01-15') },
  { Account: 'FOXG06', Number: '0118 496 0040', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2022-04-01') },
  { Account: 'GREEN07', Number: '0161 496 0050', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2026-10-15'), Prorate: 'Yes' },
  { Account: 'GREEN07', Number: '0161 496 0050', Feature: 'Number transfer', Kind: 'OneOff', Amount: 15, StartDate: d('2026-10-15') },
  { Account: 'GREEN07', Number: '0151 496 0060', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2025-05-01') },
  { Account: 'GREEN07', Number: '0151 496 0060', Feature: 'Caller display', Kind: 'Recurring', Amount: 2, Interval: 'Monthly', StartDate: d('2025-05-01') },
  { Account: 'HILL08', Number: '0808 157 0000', Feature: 'Freephone number rental', Kind: 'Recurring', Amount: 8, Interval: 'Monthly', StartDate: d('2025-07-01') },
  { Account: 'HILL08', Number: '0191 498 0070', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2025-07-01') },
  { Account: 'HILL08', Number: '0191 498 0070', Feature: 'Voicemail', Kind: 'Recurring', Amount: 3, Interval: 'Monthly', StartDate: d('2025-07-01'), EndDate: d('2026-10-20') },
  { Account: 'IVY09', Number: '0113 496 0090', Feature: 'Line rental', Kind: 'Recurring', Amount: 12.5, Interval: 'Monthly', StartDate: d('2026-10-01') },
];

export const SAMPLE_DISCOUNTS: SampleRow[] = [
  { Plan: 'BUNDLE500', Kind: 'InclusiveMinutes', Applies: 'class == "National" or class == "Mobile"', Value: 500, Scope: 'Account' },
  { Plan: 'LOYAL10', Kind: 'InclusiveMinutes', Applies: 'class == "National"', Value: 100, Scope: 'Number' },
  { Plan: 'LOYAL10', Kind: 'Percentage', Applies: '', Value: 10 },
];

export const SAMPLE_TABS: Partial<Record<TabKey, SampleRow[]>> = {
  customers: SAMPLE_CUSTOMERS,
  numbers: SAMPLE_NUMBERS,
  destinations: SAMPLE_DESTINATIONS,
  tariffs: SAMPLE_TARIFFS,
  rates: SAMPLE_RATES,
  tariffAssignments: SAMPLE_ASSIGNMENTS,
  timeBands: SAMPLE_TIMEBANDS,
  holidays: SAMPLE_HOLIDAYS,
  features: SAMPLE_FEATURES,
  discounts: SAMPLE_DISCOUNTS,
  cdrFormats: [],
};
