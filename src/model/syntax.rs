//! lavaan model syntax, parsed: `=~` (reflective measurement), `<~` (composite), `~` (regression), `~~`
//! (covariance), `:=` (defined parameter); modifiers `a*x` (label), `0.5*x` (fixed value), `NA*x` (free);
//! `#` and `!` comments; `;` or a line break ends a statement, which continues on the next line after an
//! operator or an open parenthesis, or when the next line starts with `+`. Every error names the line.

use crate::error::{Error, Result};

/// A relation operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=~`: the left latent variable is measured by the right-hand variables.
    Measured,
    /// `<~`: the left composite is formed by the right-hand variables (PLS mode B).
    Composite,
    /// `~`: the left variable is regressed on the right-hand variables.
    Regression,
    /// `~~`: (co)variance.
    Covariance,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Measured => "=~",
            Op::Composite => "<~",
            Op::Regression => "~",
            Op::Covariance => "~~",
        }
    }
}

/// What a modifier says of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Modifier {
    /// No modifier: the default rule (a marker loading is fixed to 1, everything else is free).
    None,
    /// `1*x`: fixed at the value.
    Fixed(f64),
    /// `a*x`: free, named; parameters sharing a label are equal.
    Label(String),
    /// `NA*x`: free, even where the default would fix it.
    Free,
}

/// One right-hand term.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub var: String,
    pub modifier: Modifier,
}

/// An arithmetic expression of labels and numbers (a defined parameter's right-hand side).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Label(String),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
}

/// One statement, with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Relation {
        line: usize,
        lhs: String,
        op: Op,
        rhs: Vec<Term>,
    },
    Defined {
        line: usize,
        name: String,
        expr: Expr,
        /// The expression as written.
        text: String,
    },
    /// `a == b` (two labels held equal) or `a == 0.5` (a label fixed).
    Constraint {
        line: usize,
        label: String,
        equals: Equals,
    },
}

/// The right side of an equality constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Equals {
    Label(String),
    Value(f64),
}

impl Statement {
    pub fn line(&self) -> usize {
        match self {
            Statement::Relation { line, .. }
            | Statement::Defined { line, .. }
            | Statement::Constraint { line, .. } => *line,
        }
    }
}

/// Parse a model. `source` names it in errors (a file path or a built-in id).
pub fn parse(text: &str, source: &str) -> Result<Vec<Statement>> {
    let mut out = Vec::new();
    for (line, stmt) in statements(text) {
        if stmt.trim().is_empty() {
            continue;
        }
        out.push(statement(&stmt, line, source)?);
    }
    if out.is_empty() {
        return Err(model_error(
            source,
            1,
            "the model has no statements",
            "write relations such as `satisfaction ~ functional + price`",
        ));
    }
    Ok(out)
}

/// A model error naming the line.
pub fn model_error(source: &str, line: usize, message: &str, fix: &str) -> Error {
    Error::Model {
        origin: source.to_string(),
        line,
        message: message.to_string(),
        fix: fix.to_string(),
    }
}

/// Statements with their first line: comments removed, `;` split, continued lines joined.
fn statements(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let cut = l.find(['#', '!']).unwrap_or(l.len());
            l[..cut].trim().to_string()
        })
        .collect();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (k, line) in lines.iter().enumerate() {
        for (part_index, part) in line.split(';').enumerate() {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match open.take() {
                Some((start, mut acc)) if part_index == 0 => {
                    acc.push(' ');
                    acc.push_str(part);
                    open = Some((start, acc));
                }
                Some(done) => {
                    out.push(done);
                    open = Some((k + 1, part.to_string()));
                }
                None => open = Some((k + 1, part.to_string())),
            }
            if let Some((start, acc)) = open.take() {
                let next_continues = lines[k + 1..]
                    .iter()
                    .find(|l| !l.is_empty())
                    .is_some_and(|l| l.starts_with('+') || l.starts_with('*'));
                if continues(&acc) || next_continues {
                    open = Some((start, acc));
                } else {
                    out.push((start, acc));
                }
            }
        }
    }
    out.extend(open);
    out
}

/// A statement that ends in an operator or an open parenthesis goes on.
fn continues(s: &str) -> bool {
    let t = s.trim_end();
    let depth = t.matches('(').count() as i64 - t.matches(')').count() as i64;
    depth > 0
        || ["+", "-", "*", "/", "~", "=~", "<~", "~~", ":=", "("]
            .iter()
            .any(|op| t.ends_with(op))
}

fn statement(s: &str, line: usize, source: &str) -> Result<Statement> {
    let err = |message: &str, fix: &str| model_error(source, line, message, fix);
    if let Some((lhs, rhs)) = s.split_once(":=") {
        let name = lhs.trim();
        check_name(name).map_err(|m| err(&m, "name the defined parameter, e.g. `ind := a*b`"))?;
        let expr = Expression::new(rhs, line, source).parse()?;
        return Ok(Statement::Defined {
            line,
            name: name.to_string(),
            expr,
            text: rhs.split_whitespace().collect::<Vec<_>>().join(""),
        });
    }
    if let Some((lhs, rhs)) = s.split_once("==") {
        let fix = "write `a == b` (two labels equal) or `a == 0.5` (a label fixed); label parameters with `y ~ a*x`";
        let label = lhs.trim();
        check_name(label).map_err(|m| err(&m, fix))?;
        let right = rhs.trim();
        let equals = match right.parse::<f64>() {
            Ok(v) if v.is_finite() => Equals::Value(v),
            Ok(_) => return Err(err(&format!("'{right}' is not a finite number"), fix)),
            Err(_) => {
                check_name(right).map_err(|_| {
                    err(
                        &format!("'{}' is not supported: perval's constraints equate a label with another label or a number", s.trim()),
                        fix,
                    )
                })?;
                Equals::Label(right.to_string())
            }
        };
        return Ok(Statement::Constraint {
            line,
            label: label.to_string(),
            equals,
        });
    }
    for unsupported in ["<", ">"] {
        if !s.contains("<~") && s.contains(unsupported) {
            return Err(err(
                &format!("inequality constraints ('{unsupported}') are not supported"),
                "use an equality (`a == b`, `a == 0.5`) or shared labels (`a*x1 + a*x2`)",
            ));
        }
    }
    let (op, at, len) = [
        ("=~", Op::Measured),
        ("<~", Op::Composite),
        ("~~", Op::Covariance),
        ("~", Op::Regression),
    ]
    .iter()
    .find_map(|(sym, op)| s.find(sym).map(|at| (*op, at, sym.len())))
    .ok_or_else(|| {
        err(
            &format!("'{s}' has no operator"),
            "use =~ (measured by), ~ (regressed on), ~~ (covaries with) or := (defined as)",
        )
    })?;
    let lhs = s[..at].trim();
    check_name(lhs).map_err(|m| err(&m, "the left side is one variable name"))?;
    let rhs_text = &s[at + len..];
    if rhs_text.trim().is_empty() {
        return Err(err(
            &format!("nothing follows '{}'", op.symbol()),
            "list the variables on the right, separated by +",
        ));
    }
    let mut rhs = Vec::new();
    for raw in rhs_text.split('+') {
        let t = raw.trim();
        if t.is_empty() {
            return Err(err("an empty term between two '+'", "remove the extra '+'"));
        }
        rhs.push(term(t).map_err(|m| {
            err(
                &m,
                "write terms as x, a*x (label), 0.5*x (fixed) or NA*x (free)",
            )
        })?);
    }
    if op == Op::Regression && rhs.iter().any(|t| t.var == "1") {
        return Err(err(
            "intercepts (`~ 1`) are not supported",
            "leave them out: single-group models have no mean structure",
        ));
    }
    Ok(Statement::Relation {
        line,
        lhs: lhs.to_string(),
        op,
        rhs,
    })
}

fn term(t: &str) -> std::result::Result<Term, String> {
    let Some((m, var)) = t.rsplit_once('*') else {
        check_name(t)?;
        return Ok(Term {
            var: t.to_string(),
            modifier: Modifier::None,
        });
    };
    let (m, var) = (m.trim(), var.trim());
    check_name(var)?;
    let modifier = if m.eq_ignore_ascii_case("NA") {
        Modifier::Free
    } else if let Ok(v) = m.parse::<f64>() {
        Modifier::Fixed(v)
    } else if m.contains(['(', '*']) {
        return Err(format!(
            "the modifier '{m}' is not supported (only one label, number or NA per term)"
        ));
    } else {
        check_name(m)?;
        Modifier::Label(m.to_string())
    };
    Ok(Term {
        var: var.to_string(),
        modifier,
    })
}

/// A variable or label: letters, digits, '_' and '.', not starting with a digit (or exactly "1").
fn check_name(s: &str) -> std::result::Result<(), String> {
    let ok = s == "1"
        || (!s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.'));
    if ok {
        Ok(())
    } else if s.is_empty() {
        Err("a name is missing".into())
    } else {
        Err(format!(
            "'{s}' is not a name (letters, digits, '_' and '.')"
        ))
    }
}

/// A recursive-descent parser for `:=` right-hand sides.
struct Expression<'a> {
    chars: Vec<char>,
    at: usize,
    line: usize,
    source: &'a str,
}

impl<'a> Expression<'a> {
    fn new(text: &str, line: usize, source: &'a str) -> Expression<'a> {
        Expression {
            chars: text.chars().filter(|c| !c.is_whitespace()).collect(),
            at: 0,
            line,
            source,
        }
    }
    fn err(&self, message: &str) -> Error {
        model_error(
            self.source,
            self.line,
            message,
            "write an arithmetic of labels and numbers with + - * / and parentheses, e.g. `c + a*b`",
        )
    }
    fn parse(mut self) -> Result<Expr> {
        let e = self.sum()?;
        if self.at < self.chars.len() {
            let rest: String = self.chars[self.at..].iter().collect();
            return Err(self.err(&format!("unexpected '{rest}' in the defined parameter")));
        }
        Ok(e)
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }
    fn sum(&mut self) -> Result<Expr> {
        let mut e = self.product()?;
        while let Some(c @ ('+' | '-')) = self.peek() {
            self.at += 1;
            let r = self.product()?;
            e = if c == '+' {
                Expr::Add(Box::new(e), Box::new(r))
            } else {
                Expr::Sub(Box::new(e), Box::new(r))
            };
        }
        Ok(e)
    }
    fn product(&mut self) -> Result<Expr> {
        let mut e = self.unary()?;
        while let Some(c @ ('*' | '/')) = self.peek() {
            self.at += 1;
            let r = self.unary()?;
            e = if c == '*' {
                Expr::Mul(Box::new(e), Box::new(r))
            } else {
                Expr::Div(Box::new(e), Box::new(r))
            };
        }
        Ok(e)
    }
    fn unary(&mut self) -> Result<Expr> {
        match self.peek() {
            Some('-') => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some('+') => {
                self.at += 1;
                self.unary()
            }
            Some('(') => {
                self.at += 1;
                let e = self.sum()?;
                if self.peek() != Some(')') {
                    return Err(self.err("a '(' is never closed"));
                }
                self.at += 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.at;
                while let Some(c) = self.peek() {
                    let exponent_sign = (c == '-' || c == '+')
                        && matches!(self.chars.get(self.at.wrapping_sub(1)), Some('e' | 'E'));
                    if c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || exponent_sign {
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                let s: String = self.chars[start..self.at].iter().collect();
                s.parse()
                    .map(Expr::Num)
                    .map_err(|_| self.err(&format!("'{s}' is not a number")))
            }
            Some(c) if c.is_alphabetic() || c == '_' || c == '.' => {
                let start = self.at;
                while let Some(c) = self.peek() {
                    if c.is_alphanumeric() || c == '_' || c == '.' {
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                Ok(Expr::Label(self.chars[start..self.at].iter().collect()))
            }
            Some(c) => Err(self.err(&format!("unexpected '{c}' in the defined parameter"))),
            None => Err(self.err("the defined parameter ends too early")),
        }
    }
}

impl Expr {
    /// The value with each label's value from `value`.
    pub fn eval(&self, value: &dyn Fn(&str) -> f64) -> f64 {
        match self {
            Expr::Num(v) => *v,
            Expr::Label(l) => value(l),
            Expr::Neg(a) => -a.eval(value),
            Expr::Add(a, b) => a.eval(value) + b.eval(value),
            Expr::Sub(a, b) => a.eval(value) - b.eval(value),
            Expr::Mul(a, b) => a.eval(value) * b.eval(value),
            Expr::Div(a, b) => a.eval(value) / b.eval(value),
        }
    }

    /// ∂/∂label of the expression (exact, by the rules of differentiation).
    pub fn derivative(&self, label: &str, value: &dyn Fn(&str) -> f64) -> f64 {
        match self {
            Expr::Num(_) => 0.0,
            Expr::Label(l) => f64::from(u8::from(l == label)),
            Expr::Neg(a) => -a.derivative(label, value),
            Expr::Add(a, b) => a.derivative(label, value) + b.derivative(label, value),
            Expr::Sub(a, b) => a.derivative(label, value) - b.derivative(label, value),
            Expr::Mul(a, b) => {
                a.derivative(label, value) * b.eval(value)
                    + a.eval(value) * b.derivative(label, value)
            }
            Expr::Div(a, b) => {
                let (u, v) = (a.eval(value), b.eval(value));
                (a.derivative(label, value) * v - u * b.derivative(label, value)) / (v * v)
            }
        }
    }

    /// Every label the expression uses.
    pub fn labels(&self) -> Vec<&str> {
        match self {
            Expr::Num(_) => Vec::new(),
            Expr::Label(l) => vec![l.as_str()],
            Expr::Neg(a) => a.labels(),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) => {
                let mut v = a.labels();
                v.extend(b.labels());
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_continue_after_operators_and_comments_are_dropped() {
        let m = "# a model\nf =~ x1 + x2 +\n     x3   # three items\ny ~ a*f; z ~~ 0.5*y\n  + 1*w\nind := a*(b - 2) / c\n";
        let s = parse(m, "test").unwrap();
        assert_eq!(s.len(), 4);
        match &s[0] {
            Statement::Relation { line, lhs, op, rhs } => {
                assert_eq!(
                    (*line, lhs.as_str(), *op, rhs.len()),
                    (2, "f", Op::Measured, 3)
                );
            }
            _ => panic!(),
        }
        match &s[1] {
            Statement::Relation { rhs, line, .. } => {
                assert_eq!(*line, 4);
                assert_eq!(rhs[0].modifier, Modifier::Label("a".into()));
            }
            _ => panic!(),
        }
        match &s[2] {
            Statement::Relation { rhs, op, .. } => {
                assert_eq!(*op, Op::Covariance);
                assert_eq!(rhs[0].modifier, Modifier::Fixed(0.5));
                assert_eq!(rhs[1].var, "w");
            }
            _ => panic!(),
        }
        match &s[3] {
            Statement::Defined { expr, line, .. } => {
                assert_eq!(*line, 6);
                let v = |l: &str| match l {
                    "a" => 3.0,
                    "b" => 5.0,
                    _ => 2.0,
                };
                assert_eq!(expr.eval(&v), 4.5);
                assert_eq!(expr.derivative("a", &v), 1.5);
                assert_eq!(expr.derivative("c", &v), -2.25);
            }
            _ => panic!(),
        }
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("f =~ x1 + x2\ny ~ f +\n  z\nq ? w", "m.lav").unwrap_err();
        assert!(e.to_string().contains("m.lav: line 4"), "{e}");
        let e = parse("f =~ x1 + + x2", "m.lav").unwrap_err();
        assert!(e.to_string().contains("line 1") && e.to_string().contains("empty term"));
        let e = parse("ind := a*(b", "m.lav").unwrap_err();
        assert!(e.to_string().contains("never closed"), "{e}");
    }
}
