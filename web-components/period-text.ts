// Billing periods as people read them: `2026-10` → `October 2026`; and the month a clerk most
// likely bills next (the one before today's).

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function periodName(period: string): string {
  const m = PERIOD.exec(period);
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : period;
}

/** `YYYY-MM` of the month before `today`'s (local time). */
export function lastMonth(today = new Date()): string {
  const y = today.getMonth() === 0 ? today.getFullYear() - 1 : today.getFullYear();
  const m = today.getMonth() === 0 ? 12 : today.getMonth();
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** The file a bill keeps an invoice's printable page in: its number made safe as the server does (server/bills/bill-output.ts invoiceFileName). */
export const invoicePage = (invoice: string, ext: 'html' | 'xlsx' = 'html'): string => `invoices/${invoice.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')}.${ext}`;
