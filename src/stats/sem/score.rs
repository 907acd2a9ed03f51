//! Score (Lagrange multiplier) tests of equality constraints, as lavaan's `lavTestScore` in its "release"
//! mode: the model is written in an extended parameterization x in which the constrained parameters are
//! separate, the constraints are the rows of R (R x = 0), and x is the constrained ML solution. With s the
//! gradient of logL / N and I the expected unit information at x, releasing a set of constraints gives
//!
//! ```text
//! T = N sᵀ J s,   J = the top-left q × q block of [[I, R₁ᵀ], [R₁, 0]]⁻¹,
//! ```
//!
//! R₁ the constraints kept; T is χ² with as many df as constraints released.

use super::estimate::{evaluate, gradient_information, Prepared, SampleMoments};
use super::model::Model;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// One constraint row: Σ coefficient · x[index] = 0.
pub type Constraint = Vec<(usize, f64)>;

/// The gradient and information of the extended model at `x`, ready for any number of tests.
pub struct ScoreBasis {
    /// s = ∂(logL/N)/∂x = −½ ∂F/∂x.
    score: DVector<f64>,
    /// Expected unit information of logL/N: ½ E[∂²F].
    information: DMatrix<f64>,
    n_total: f64,
}

impl ScoreBasis {
    pub fn new(model: &Model, data: &[SampleMoments], x: &DVector<f64>) -> Result<ScoreBasis> {
        let prep = Prepared::new(data)?;
        let e = evaluate(model, &prep, x.as_slice()).ok_or_else(|| {
            Error::Internal("the constrained solution is not admissible for the score test".into())
        })?;
        let (grad, info) = gradient_information(model, &prep, &e.values, &e.inverses);
        Ok(ScoreBasis {
            score: grad * -0.5,
            information: info * 0.5,
            n_total: prep.n_total,
        })
    }

    /// T for releasing every constraint not in `kept`; None when the bordered matrix is singular (the model
    /// with only the kept constraints is not identified).
    pub fn statistic(&self, kept: &[&Constraint]) -> Option<f64> {
        let q = self.information.nrows();
        let r = kept.len();
        let mut z = DMatrix::zeros(q + r, q + r);
        z.view_mut((0, 0), (q, q)).copy_from(&self.information);
        for (row, c) in kept.iter().enumerate() {
            for &(k, a) in c.iter() {
                z[(q + row, k)] = a;
                z[(k, q + row)] = a;
            }
        }
        let inv = z.lu().try_inverse()?;
        let j = inv.view((0, 0), (q, q));
        let t = self.n_total * (self.score.transpose() * j * &self.score)[(0, 0)];
        t.is_finite().then_some(t.max(0.0))
    }
}
