//! A small box-constrained quasi-Newton minimiser (projected BFGS with an Armijo line search) for the
//! factor-analysis objectives, which have few parameters (one uniqueness per item) and analytic gradients.

use nalgebra::{DMatrix, DVector};

/// Result of [`minimize_box`].
#[derive(Debug, Clone)]
pub struct Minimum {
    pub x: DVector<f64>,
    pub value: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Minimise `f` (returning value and gradient) subject to `lo <= x <= hi`, starting from `x0`.
///
/// Stops when the projected gradient's largest component is below `gtol`, or when neither x nor f moves.
pub fn minimize_box<F>(
    mut f: F,
    x0: DVector<f64>,
    lo: f64,
    hi: f64,
    gtol: f64,
    max_iter: usize,
) -> Minimum
where
    F: FnMut(&DVector<f64>) -> (f64, DVector<f64>),
{
    let n = x0.len();
    let clamp = |v: &DVector<f64>| v.map(|t| t.clamp(lo, hi));
    let mut x = clamp(&x0);
    let (mut fx, mut g) = f(&x);
    let mut h = DMatrix::<f64>::identity(n, n);
    let projected_norm = |x: &DVector<f64>, g: &DVector<f64>| {
        (0..n)
            .map(|i| {
                if (x[i] <= lo && g[i] > 0.0) || (x[i] >= hi && g[i] < 0.0) {
                    0.0
                } else {
                    g[i].abs()
                }
            })
            .fold(0.0, f64::max)
    };
    for iter in 0..max_iter {
        if projected_norm(&x, &g) < gtol {
            return Minimum {
                x,
                value: fx,
                iterations: iter,
                converged: true,
            };
        }
        // Variables held at a bound by their gradient are left out of this step.
        let active: Vec<bool> = (0..n)
            .map(|i| (x[i] <= lo && g[i] > 0.0) || (x[i] >= hi && g[i] < 0.0))
            .collect();
        let mut gf = g.clone();
        for i in 0..n {
            if active[i] {
                gf[i] = 0.0;
            }
        }
        let mut d = -(&h * &gf);
        for i in 0..n {
            if active[i] {
                d[i] = 0.0;
            }
        }
        if d.dot(&gf) >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            h = DMatrix::identity(n, n);
            d = -gf.clone();
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let xn = clamp(&(&x + &d * step));
            let (fnew, gnew) = f(&xn);
            if fnew.is_finite() && fnew <= fx + 1e-4 * g.dot(&(&xn - &x)) {
                accepted = Some((xn, fnew, gnew));
                break;
            }
            step *= 0.5;
        }
        let Some((xn, fnew, gnew)) = accepted else {
            let conv = projected_norm(&x, &g) < gtol.sqrt();
            return Minimum {
                x,
                value: fx,
                iterations: iter,
                converged: conv,
            };
        };
        let s = &xn - &x;
        let y = &gnew - &g;
        let sy = s.dot(&y);
        let moved = s.amax();
        let df = fx - fnew;
        x = xn;
        fx = fnew;
        g = gnew;
        if sy > 1e-300 {
            // BFGS update of the inverse Hessian.
            let rho = 1.0 / sy;
            let i = DMatrix::<f64>::identity(n, n);
            let a = &i - &s * y.transpose() * rho;
            h = &a * &h * a.transpose() + &s * s.transpose() * rho;
        }
        if moved < 1e-15 && df.abs() < 1e-18 {
            let conv = projected_norm(&x, &g) < gtol.sqrt();
            return Minimum {
                x,
                value: fx,
                iterations: iter + 1,
                converged: conv,
            };
        }
    }
    let conv = projected_norm(&x, &g) < gtol;
    Minimum {
        x,
        value: fx,
        iterations: max_iter,
        converged: conv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratic_with_bound() {
        // min (x-2)^2 + (y+1)^2 on [0, 1]^2 -> (1, 0)
        let m = minimize_box(
            |v| {
                let f = (v[0] - 2.0).powi(2) + (v[1] + 1.0).powi(2);
                (
                    f,
                    DVector::from_vec(vec![2.0 * (v[0] - 2.0), 2.0 * (v[1] + 1.0)]),
                )
            },
            DVector::from_vec(vec![0.5, 0.5]),
            0.0,
            1.0,
            1e-10,
            100,
        );
        assert!(m.converged);
        assert!((m.x[0] - 1.0).abs() < 1e-12 && m.x[1].abs() < 1e-12);
    }

    #[test]
    fn rosenbrock_interior() {
        let m = minimize_box(
            |v| {
                let (a, b) = (v[0], v[1]);
                let f = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
                let g = DVector::from_vec(vec![
                    -2.0 * (1.0 - a) - 400.0 * a * (b - a * a),
                    200.0 * (b - a * a),
                ]);
                (f, g)
            },
            DVector::from_vec(vec![-1.2, 1.0]),
            -5.0,
            5.0,
            1e-9,
            1000,
        );
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{:?}",
            m.x
        );
    }
}
