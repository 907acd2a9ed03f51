//! The factor-analysis options `analyze`, `efa` and `cfa` share.

use perval::analysis::{self, CfaStructure, Correlation, Options};
use perval::stats::factor::{Method, Rotation};

/// Options of the exploratory factor analysis.
#[derive(clap::Args)]
pub struct EfaArgs {
    /// EFA extraction method (psych's fm).
    #[arg(long, value_enum, default_value = "minres")]
    method: MethodArg,
    /// EFA rotation.
    #[arg(long, value_enum, default_value = "oblimin")]
    rotation: RotationArg,
    /// Number of EFA factors (default: the instrument's number of dimensions).
    #[arg(long)]
    factors: Option<usize>,
    /// Random data sets in the parallel analysis.
    #[arg(long, default_value_t = analysis::PARALLEL_ITERATIONS, value_name = "N")]
    pa_iterations: usize,
    /// Seed of the parallel analysis and the bootstrap (same seed, same result, on any number of threads).
    #[arg(long, default_value_t = analysis::DEFAULT_SEED)]
    pub seed: u64,
    /// Correlations for KMO, Bartlett, eigenvalues, parallel analysis and the EFA (polychoric: for ordinal
    /// items; also adds ordinal alpha).
    #[arg(long = "cor", value_enum, default_value = "pearson")]
    correlation: CorArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CorArg {
    Pearson,
    Polychoric,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum MethodArg {
    Minres,
    Ml,
    Pa,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RotationArg {
    None,
    Varimax,
    Promax,
    Oblimin,
}

/// Options of the confirmatory factor analysis (`perval cfa --model …`).
#[derive(clap::Args)]
pub struct CfaArgs {
    /// CFA structure: one factor per dimension with free correlations, or a second-order perceived-value factor.
    #[arg(long, value_enum, default_value = "correlated")]
    model: ModelArg,
}

/// The CFA structure in `perval analyze`, whose `--model` names a structural model.
#[derive(clap::Args)]
pub struct AnalyzeCfaArgs {
    /// CFA structure: one factor per dimension with free correlations, or a second-order perceived-value factor.
    #[arg(long = "cfa-model", value_enum, default_value = "correlated")]
    cfa_model: ModelArg,
}

impl AnalyzeCfaArgs {
    pub fn apply(&self, o: &mut Options) {
        CfaArgs {
            model: self.cfa_model,
        }
        .apply(o);
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ModelArg {
    Correlated,
    SecondOrder,
}

impl EfaArgs {
    pub fn apply(&self, o: &mut Options) {
        o.efa_method = match self.method {
            MethodArg::Minres => Method::Minres,
            MethodArg::Ml => Method::Ml,
            MethodArg::Pa => Method::Pa,
        };
        o.efa_rotation = match self.rotation {
            RotationArg::None => Rotation::None,
            RotationArg::Varimax => Rotation::Varimax,
            RotationArg::Promax => Rotation::Promax,
            RotationArg::Oblimin => Rotation::Oblimin,
        };
        o.efa_factors = self.factors;
        o.parallel = (self.pa_iterations.max(1), self.seed);
        o.correlation = match self.correlation {
            CorArg::Pearson => Correlation::Pearson,
            CorArg::Polychoric => Correlation::Polychoric,
        };
    }
}

impl CfaArgs {
    pub fn apply(&self, o: &mut Options) {
        o.cfa_model = match self.model {
            ModelArg::Correlated => CfaStructure::Correlated,
            ModelArg::SecondOrder => CfaStructure::SecondOrder,
        };
    }
}
