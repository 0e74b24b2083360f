import { describe, expect, it } from 'vitest';
import { badEmails, emailProblem, ukVatProblem } from '../../../rules/workbook/contact-checks.js';
import { parseWorkbook } from '../../../rules/workbook/parse.js';
import { sheet, settingsSheet, workbook } from './raw-builder.js';

const EMAIL_FORM = '(one @, a dot in the domain, no spaces; separate several with ; or ,)';
const VAT_FORM = '(GB then 9 digits, or 12 for a branch; spaces allowed, as in GB 123 4567 89)';

/** The issues of a workbook whose Customers rows are these (Account, Name, Email, VatNumber, Tariff). */
function customerIssues(...rows: (string | null)[][]): [string | undefined, string, string][] {
  const customers = sheet('Customers', [['Account', 'Name', 'Email', 'VatNumber', 'Tariff'], ...rows]);
  return parseWorkbook(workbook(customers)).issues.map((i) => [i.at, i.code, i.message]);
}
const customer = (email: string | null, vat: string | null = null): (string | null)[] => ['ACME', 'Acme', email, vat, 'Business'];

describe('e-mail addresses', () => {
  it('takes one address, or several separated by ; or , with spaces around the separators', () => {
    for (const ok of ['accounts@acme.example', 'a.b+c@mail.acme.co.uk', 'a@x.com;b@y.org', 'a@x.com , b@y.org', 'a@x.com; b@y.org, c@z.net', 'a@x.com;']) {
      expect(badEmails(ok), ok).toEqual([]);
      expect(emailProblem('Email', ok), ok).toBeNull();
    }
  });
  it('refuses a missing @, two @, no dot in the domain, spaces inside, an empty part', () => {
    for (const bad of ['bob.example.com', 'bob@@example.com', 'bob@jo@example.com', 'bob@example', 'bob smith@example.com', 'bob@exa mple.com', '@example.com', 'bob@.com', 'bob@example.', 'bob@example..com', ';']) {
      expect(badEmails(bad), bad).toEqual([bad]);
    }
  });
  it('names only the bad items of a list', () => {
    expect(badEmails('a@x.com; bob@example, c d@y.org')).toEqual(['bob@example', 'c d@y.org']);
    expect(emailProblem('Email', 'a@x.com; bob@example, c d@y.org')).toBe(`Email "bob@example" and "c d@y.org" are not e-mail addresses ${EMAIL_FORM}`);
  });
  it('warns at the Email cell of Customers, and leaves a blank Email to the Direct Debit check', () => {
    expect(customerIssues(customer('bob@example'))).toEqual([['Customers!C2', 'EMAIL_INVALID', `Email "bob@example" is not an e-mail address ${EMAIL_FORM}`]]);
    expect(customerIssues(customer('a@x.com; b@y.org'), ['B', 'B', 'b@y.org, c@z.net', null, 'Business'])).toEqual([]);
    expect(customerIssues(customer(null))).toEqual([]);
    expect(customerIssues(customer('bob at example.com'))).toEqual([['Customers!C2', 'EMAIL_INVALID', `Email "bob at example.com" is not an e-mail address ${EMAIL_FORM}`]]);
  });
});

describe('UK VAT numbers', () => {
  it('takes GB and 9 or 12 digits, spaces allowed, GB in any case, and the GD and HA forms', () => {
    for (const ok of ['GB123456789', 'GB 123 4567 89', 'GB 123456789', 'GB123 4567 89 001', 'GB123456789001', 'gb 123 4567 89', 'GBGD001', 'GBHA599']) {
      expect(ukVatProblem('VatNumber', ok), ok).toBeNull();
    }
  });
  it('refuses GB with another number of digits or other characters', () => {
    for (const bad of ['GB1234567890', 'GB 123 4567 8', 'GB', 'GB12345678A', 'GB-123-4567-89', 'GBGD500', 'GBHA499', 'gb1234']) {
      expect(ukVatProblem('VatNumber', bad), bad).toBe(`VatNumber "${bad}" is not a UK VAT number ${VAT_FORM}`);
    }
  });
  it('leaves other countries\' numbers alone', () => {
    for (const other of ['IE6388047V', 'DE 123456789', 'FR12345678901', 'XI123456789', '123456789']) expect(ukVatProblem('VatNumber', other), other).toBeNull();
  });
  it('warns at the VatNumber cell of Customers', () => {
    expect(customerIssues(customer('a@x.com', 'GB 123 4567 890'))).toEqual([['Customers!D2', 'VAT_NUMBER_INVALID', `VatNumber "GB 123 4567 890" is not a UK VAT number ${VAT_FORM}`]]);
    expect(customerIssues(customer('a@x.com', 'GB 123 4567 89'), ['B', 'B', 'b@y.org', 'DE123456789', 'Business'])).toEqual([]);
    // Both in one row: in the order of the cells.
    expect(customerIssues(customer('bob@example', 'GB1')).map(([at, code]) => [at, code])).toEqual([['Customers!C2', 'EMAIL_INVALID'], ['Customers!D2', 'VAT_NUMBER_INVALID']]);
  });
  it('warns at the Value cell of SupplierVatNumber in Settings', () => {
    const settings = sheet('Settings', [['Key', 'Value'], ['SupplierName', 'S Ltd'], ['SupplierAddress', '1 Road'], ['SupplierVatNumber', 'GB 123 4567'], ['SupplierCompanyNumber', '1']]);
    expect(parseWorkbook(workbook(settings)).issues.map((i) => [i.at, i.code, i.message])).toEqual([
      ['Settings!B4', 'VAT_NUMBER_INVALID', `SupplierVatNumber "GB 123 4567" is not a UK VAT number ${VAT_FORM}`],
    ]);
    expect(parseWorkbook(workbook(settingsSheet())).issues).toEqual([]);
    const foreign = sheet('Settings', [['Key', 'Value'], ['SupplierName', 'S'], ['SupplierAddress', 'A'], ['SupplierVatNumber', 'IE6388047V'], ['SupplierCompanyNumber', '1']]);
    expect(parseWorkbook(workbook(foreign)).issues).toEqual([]);
  });
});
