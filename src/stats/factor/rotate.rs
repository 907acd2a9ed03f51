//! Factor rotations as R computes them:
//! * `oblimin` — GPArotation::oblimin (γ = 0, i.e. quartimin) by the gradient-projection algorithm GPFoblq
//!   (Bernaards & Jennrich 2005), normalize = FALSE, eps = 1e-5, maxit = 1000, started at the identity;
//! * `varimax` — stats::varimax (Kaiser normalisation, stops when the criterion improves by < 1e-5 relative);
//! * `promax` — psych's: Kaiser-normalised rows, psych::Promax (m = 4) on top of stats::varimax.

use nalgebra::DMatrix;

/// Rotation (psych's `rotate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rotation {
    None,
    Varimax,
    Promax,
    Oblimin,
}

impl std::fmt::Display for Rotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Rotation {
    pub fn name(self) -> &'static str {
        match self {
            Rotation::None => "none",
            Rotation::Varimax => "varimax",
            Rotation::Promax => "promax",
            Rotation::Oblimin => "oblimin",
        }
    }
    pub fn is_oblique(self) -> bool {
        matches!(self, Rotation::Promax | Rotation::Oblimin)
    }
}

/// Rotated loadings and factor correlations (the identity for orthogonal rotations).
#[derive(Debug, Clone)]
pub struct Rotated {
    pub loadings: DMatrix<f64>,
    pub phi: DMatrix<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Rotate loadings `a` (p × m).
pub fn rotate(a: &DMatrix<f64>, rotation: Rotation) -> Rotated {
    let m = a.ncols();
    if m < 2 || rotation == Rotation::None {
        return Rotated {
            loadings: a.clone(),
            phi: DMatrix::identity(m, m),
            iterations: 0,
            converged: true,
        };
    }
    match rotation {
        Rotation::Oblimin => gpf_oblique(a, 1e-5, 1000),
        Rotation::Varimax => {
            let (l, _, it, conv) = varimax(a, 1e-5);
            Rotated {
                loadings: l,
                phi: DMatrix::identity(m, m),
                iterations: it,
                converged: conv,
            }
        }
        Rotation::Promax => promax_kaiser(a),
        Rotation::None => unreachable!("handled above"),
    }
}

/// Quartimin criterion f = ¼ Σ L² ∘ (L² (1 − I)) and its gradient L ∘ (L² (1 − I)).
fn quartimin(l: &DMatrix<f64>) -> (f64, DMatrix<f64>) {
    let l2 = l.map(|v| v * v);
    let m = l.ncols();
    let offdiag = DMatrix::from_fn(m, m, |i, j| if i == j { 0.0 } else { 1.0 });
    let x = &l2 * offdiag;
    let f = l2.component_mul(&x).sum() / 4.0;
    (f, l.component_mul(&x))
}

/// GPArotation::GPFoblq with the quartimin criterion, line for line.
fn gpf_oblique(a: &DMatrix<f64>, eps: f64, maxit: usize) -> Rotated {
    let m = a.ncols();
    let inv_t = |t: &DMatrix<f64>| {
        t.clone()
            .try_inverse()
            .unwrap_or_else(|| DMatrix::identity(m, m))
    };
    let mut t = DMatrix::<f64>::identity(m, m);
    let mut l = a * inv_t(&t).transpose();
    let (mut f, gq) = quartimin(&l);
    let mut g = -(l.transpose() * gq * inv_t(&t)).transpose();
    let mut al = 1.0;
    let mut converged = false;
    let mut iterations = 0;
    for iter in 0..=maxit {
        iterations = iter;
        // Gp = G − T diag(colSums(T ∘ G))
        let tg = t.component_mul(&g);
        let mut gp = g.clone();
        for j in 0..m {
            let c = tg.column(j).sum();
            for i in 0..m {
                gp[(i, j)] -= t[(i, j)] * c;
            }
        }
        let s = gp.norm();
        if s < eps {
            converged = true;
            break;
        }
        al *= 2.0;
        let mut tt = t.clone();
        let mut ft = f;
        let mut gqt = DMatrix::zeros(a.nrows(), m);
        for _ in 0..=10 {
            let x = &t - &gp * al;
            tt = x.clone();
            for j in 0..m {
                let v = 1.0 / x.column(j).norm();
                tt.column_mut(j).scale_mut(v);
            }
            l = a * inv_t(&tt).transpose();
            let (fv, gv) = quartimin(&l);
            ft = fv;
            gqt = gv;
            if f - ft > 0.5 * s * s * al {
                break;
            }
            al /= 2.0;
        }
        t = tt;
        f = ft;
        g = -(l.transpose() * &gqt * inv_t(&t)).transpose();
    }
    let loadings = a * inv_t(&t).transpose();
    let phi = t.transpose() * &t;
    Rotated {
        loadings,
        phi,
        iterations,
        converged,
    }
}

/// stats::varimax(x, normalize = TRUE, eps): returns (loadings, rotation matrix, iterations, converged).
pub fn varimax(x: &DMatrix<f64>, eps: f64) -> (DMatrix<f64>, DMatrix<f64>, usize, bool) {
    let (p, m) = x.shape();
    let sc: Vec<f64> = (0..p).map(|i| x.row(i).norm()).collect();
    let xn = DMatrix::from_fn(p, m, |i, j| x[(i, j)] / sc[i]);
    let mut tt = DMatrix::<f64>::identity(m, m);
    let mut d = 0.0;
    let mut iterations = 0;
    let mut converged = false;
    for it in 1..=1000 {
        iterations = it;
        let z = &xn * &tt;
        let colsq: Vec<f64> = (0..m)
            .map(|j| z.column(j).norm_squared() / p as f64)
            .collect();
        let target = DMatrix::from_fn(p, m, |i, j| z[(i, j)].powi(3) - z[(i, j)] * colsq[j]);
        let b = xn.transpose() * target;
        let svd = b.svd(true, true);
        let (Some(u), Some(vt)) = (svd.u, svd.v_t) else {
            break;
        };
        tt = u * vt;
        let dpast = d;
        d = svd.singular_values.sum();
        if d < dpast * (1.0 + eps) {
            converged = true;
            break;
        }
    }
    let z = &xn * &tt;
    let loadings = DMatrix::from_fn(p, m, |i, j| z[(i, j)] * sc[i]);
    (loadings, tt, iterations, converged)
}

/// psych::kaiser(L, rotate = "Promax"): rows scaled to unit length, psych::Promax (m = 4), rows scaled back.
fn promax_kaiser(a: &DMatrix<f64>) -> Rotated {
    let (p, m) = a.shape();
    let h: Vec<f64> = (0..p).map(|i| a.row(i).norm()).collect();
    let w = DMatrix::from_fn(p, m, |i, j| a[(i, j)] / h[i]);
    let (x, rotmat, iterations, converged) = varimax(&w, 1e-5);
    let q = x.map(|v| v * v.abs().powi(3));
    // lm.fit(x, Q): least-squares coefficients (x'x)^-1 x'Q.
    let xtx = x.transpose() * &x;
    let fallback = || Rotated {
        loadings: a.clone(),
        phi: DMatrix::identity(m, m),
        iterations,
        converged: false,
    };
    let Some(xtx_inv) = xtx.try_inverse() else {
        return fallback();
    };
    let mut u = xtx_inv * x.transpose() * q;
    let Some(utu_inv) = (u.transpose() * &u).try_inverse() else {
        return fallback();
    };
    for j in 0..m {
        let s = utu_inv[(j, j)].sqrt();
        u.column_mut(j).scale_mut(s);
    }
    let z = &x * &u;
    let total = rotmat * u;
    let Some(ui) = total.try_inverse() else {
        return fallback();
    };
    let phi = &ui * ui.transpose();
    let loadings = DMatrix::from_fn(p, m, |i, j| z[(i, j)] * h[i]);
    Rotated {
        loadings,
        phi,
        iterations,
        converged,
    }
}

/// psych's factor order and signs after rotation: each column signed so its sum is positive, then columns
/// sorted by variance accounted for, diag(Φ LᵀL) (colSums(L²) when orthogonal). Φ follows.
pub fn order_and_sign(r: &mut Rotated) {
    let m = r.loadings.ncols();
    for j in 0..m {
        if r.loadings.column(j).sum() < 0.0 {
            r.loadings.column_mut(j).neg_mut();
            r.phi.column_mut(j).neg_mut();
            r.phi.row_mut(j).neg_mut();
        }
    }
    let ev = (&r.phi * (r.loadings.transpose() * &r.loadings)).diagonal();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| ev[b].total_cmp(&ev[a]));
    let l = DMatrix::from_fn(r.loadings.nrows(), m, |i, j| r.loadings[(i, order[j])]);
    let phi = DMatrix::from_fn(m, m, |i, j| r.phi[(order[i], order[j])]);
    r.loadings = l;
    r.phi = phi;
}
