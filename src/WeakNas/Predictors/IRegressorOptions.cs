namespace WeakNas.Predictors;

/// <summary>A regressor's settings, which make the regressor: how strategies are given a predictor without knowing its type.</summary>
public interface IRegressorOptions
{
    /// <summary>A regressor with these settings (validated).</summary>
    IRegressor Create();
}
