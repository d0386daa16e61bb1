//! Money on quotes and orders: line amounts, discounts, tax and totals, in
//! integer minor units (cents, fen) — never floating point.
//!
//! **The rounding rule.** Every amount is rounded once, per line, to the
//! minor unit, *half away from zero* (2.5 → 3, −2.5 → −3), at the step
//! where it arises: the line's gross (quantity × unit price), its
//! percentage discount, its share of the order discount, its tax. Totals
//! are sums of rounded line amounts, so a printed document always adds up:
//! the total is exactly the sum of the lines' totals plus shipping.
//!
//! - Quantities are in thousandths (`quantity_milli`: 1.5 hours = 1500).
//! - Percentages and tax rates are in basis points (13 % = 1300).
//! - The order discount is shared out over the lines in proportion to
//!   their net amounts (largest remainder, so the shares add up to the
//!   discount exactly), and taxed accordingly — as tax law expects.
//! - Prices either exclude tax (tax is added on top) or include it (the
//!   tax is the part of the amount `rate / (1 + rate)`), per document.
//! - A discount can never make an amount negative: one larger than what
//!   it applies to is refused, as is a percentage over 100.
//! - Arithmetic runs in 128 bits; a result that does not fit the 64-bit
//!   columns is refused as too large rather than wrapped.

/// A discount on a line or on the whole order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Discount {
    #[default]
    None,
    /// In basis points of the amount (0–10,000).
    Percent(i64),
    /// In minor units.
    Amount(i64),
}

/// Whether unit prices and shipping include tax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaxMode {
    #[default]
    Exclusive,
    Inclusive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineInput {
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub discount: Discount,
    pub tax_rate_bp: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderInput {
    pub lines: Vec<LineInput>,
    pub discount: Discount,
    pub shipping: i64,
    pub shipping_tax_rate_bp: i64,
    pub mode: TaxMode,
}

/// One line's amounts, each rounded as the rule says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineTotals {
    /// Quantity × unit price.
    pub gross: i64,
    pub line_discount: i64,
    /// Gross less the line discount (what the line shows as its amount).
    pub net: i64,
    /// This line's share of the order discount.
    pub order_discount: i64,
    /// Net less its share of the order discount: what tax is computed on
    /// (tax included in it, in inclusive mode).
    pub taxable: i64,
    pub tax: i64,
    /// What the customer pays for the line.
    pub total: i64,
}

/// Tax summed per rate, as an invoice lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaxLine {
    pub rate_bp: i64,
    pub taxable: i64,
    pub tax: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotals>,
    /// Sum of the lines' net amounts.
    pub subtotal: i64,
    pub order_discount: i64,
    pub shipping: i64,
    pub shipping_tax: i64,
    /// All tax (lines and shipping).
    pub tax: i64,
    pub taxes: Vec<TaxLine>,
    pub total: i64,
}

/// Why a document's amounts cannot be computed (each names a form field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("line {0}: the quantity must be more than zero")]
    Quantity(usize),
    #[error("line {0}: the price must not be negative")]
    Price(usize),
    #[error("line {0}: a discount must be between 0 and the line's amount")]
    LineDiscount(usize),
    #[error("a tax rate must be between 0 % and 100 %")]
    TaxRate,
    #[error("the order discount must be between 0 and the subtotal")]
    OrderDiscount,
    #[error("shipping must not be negative")]
    Shipping,
    #[error("the amounts are too large")]
    TooLarge,
}

/// `num / den` rounded half away from zero (`den > 0`).
pub fn round_div(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// Computes every amount of a document.
pub fn compute(input: &OrderInput) -> Result<Totals, PricingError> {
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        let n = i + 1;
        if l.quantity_milli <= 0 {
            return Err(PricingError::Quantity(n));
        }
        if l.unit_price < 0 {
            return Err(PricingError::Price(n));
        }
        check_rate(l.tax_rate_bp)?;
        let gross = round_div(
            i128::from(l.quantity_milli) * i128::from(l.unit_price),
            1000,
        );
        // Bounded here, so no product below can leave 128 bits.
        fit(gross)?;
        let discount = discount_of(l.discount, gross).ok_or(PricingError::LineDiscount(n))?;
        lines.push((gross, discount, gross - discount, l.tax_rate_bp));
    }
    check_rate(input.shipping_tax_rate_bp)?;
    if input.shipping < 0 {
        return Err(PricingError::Shipping);
    }
    let subtotal: i128 = lines.iter().map(|l| l.2).sum();
    fit(subtotal)?;
    let order_discount =
        discount_of(input.discount, subtotal).ok_or(PricingError::OrderDiscount)?;
    let shares = share_out(
        order_discount,
        &lines.iter().map(|l| l.2).collect::<Vec<_>>(),
    );

    let mut out = Vec::with_capacity(lines.len());
    let mut taxes: Vec<TaxLine> = Vec::new();
    let mut tax_sum: i128 = 0;
    let mut total: i128 = 0;
    for ((gross, line_discount, net, rate), share) in lines.into_iter().zip(shares) {
        let taxable = net - share;
        let (tax, line_total) = tax_on(taxable, rate, input.mode);
        tax_sum += tax;
        total += line_total;
        add_tax(&mut taxes, rate, taxable, tax)?;
        out.push(LineTotals {
            gross: fit(gross)?,
            line_discount: fit(line_discount)?,
            net: fit(net)?,
            order_discount: fit(share)?,
            taxable: fit(taxable)?,
            tax: fit(tax)?,
            total: fit(line_total)?,
        });
    }
    let shipping = i128::from(input.shipping);
    let (shipping_tax, shipping_total) = tax_on(shipping, input.shipping_tax_rate_bp, input.mode);
    if shipping > 0 {
        add_tax(
            &mut taxes,
            input.shipping_tax_rate_bp,
            shipping,
            shipping_tax,
        )?;
    }
    taxes.sort_by_key(|t| t.rate_bp);
    Ok(Totals {
        lines: out,
        subtotal: fit(subtotal)?,
        order_discount: fit(order_discount)?,
        shipping: input.shipping,
        shipping_tax: fit(shipping_tax)?,
        tax: fit(tax_sum + shipping_tax)?,
        taxes,
        total: fit(total + shipping_total)?,
    })
}

fn check_rate(bp: i64) -> Result<(), PricingError> {
    if (0..=10_000).contains(&bp) {
        Ok(())
    } else {
        Err(PricingError::TaxRate)
    }
}

/// The discount on `amount`, or `None` when it is out of range.
fn discount_of(d: Discount, amount: i128) -> Option<i128> {
    match d {
        Discount::None => Some(0),
        Discount::Percent(bp) if (0..=10_000).contains(&bp) => {
            Some(round_div(amount * i128::from(bp), 10_000))
        }
        Discount::Amount(a) if a >= 0 && i128::from(a) <= amount => Some(i128::from(a)),
        _ => None,
    }
}

/// Tax on an amount and what the customer pays for it.
fn tax_on(amount: i128, rate_bp: i64, mode: TaxMode) -> (i128, i128) {
    let rate = i128::from(rate_bp);
    match mode {
        TaxMode::Exclusive => {
            let tax = round_div(amount * rate, 10_000);
            (tax, amount + tax)
        }
        TaxMode::Inclusive => (round_div(amount * rate, 10_000 + rate), amount),
    }
}

/// Splits `total` over `weights` in proportion, by largest remainder: the
/// shares add up to `total` exactly and none exceeds its weight (when
/// `total` does not exceed their sum).
fn share_out(total: i128, weights: &[i128]) -> Vec<i128> {
    let sum: i128 = weights.iter().sum();
    if total == 0 || sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    let mut left = total - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainder first; earlier lines win ties.
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] % sum), i));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

fn add_tax(
    taxes: &mut Vec<TaxLine>,
    rate_bp: i64,
    taxable: i128,
    tax: i128,
) -> Result<(), PricingError> {
    let (taxable, tax) = (fit(taxable)?, fit(tax)?);
    match taxes.iter_mut().find(|t| t.rate_bp == rate_bp) {
        Some(t) => {
            t.taxable = t
                .taxable
                .checked_add(taxable)
                .ok_or(PricingError::TooLarge)?;
            t.tax = t.tax.checked_add(tax).ok_or(PricingError::TooLarge)?;
        }
        None => taxes.push(TaxLine {
            rate_bp,
            taxable,
            tax,
        }),
    }
    Ok(())
}

fn fit(v: i128) -> Result<i64, PricingError> {
    i64::try_from(v).map_err(|_| PricingError::TooLarge)
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;
