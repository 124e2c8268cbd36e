const db = require('./db');
const { format, parse: parseDate } = require('date-fns');

/** Lists the invoices of a customer. */
class InvoiceStore extends db.Store {
  list(customerId) {
    return this.query('SELECT * FROM invoices WHERE customer_id = ?', [customerId]);
  }
}

async function load() {
  const module = await import('./lazy.js');
  return module.default || null;
}

module.exports = { InvoiceStore, load };
