using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Tests.Predictors;

public class MlpGradientTests
{
    [Fact]
    public void Backpropagated_gradient_agrees_with_central_finite_differences()
    {
        const int Rows = 9, Inputs = 7;
        var rng = new Rng(21);
        var network = new MlpNetwork([Inputs, 12, 10, 1]);
        network.InitialiseGlorot(rng);
        var trainer = new MlpTrainer(network, new MlpRegressorOptions(), Rows);
        var x = new float[Rows * Inputs];
        var y = new float[Rows];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
        for (int i = 0; i < y.Length; i++) y[i] = (float)rng.NextGaussian();
        trainer.SetBatch(x, y);
        trainer.Backpropagate(Rows);
        var analytic = trainer.Gradient.ToArray();

        var parameters = network.Parameters;
        const float Step = 1e-3f;
        int checkedCount = 0;
        for (int p = 0; p < parameters.Length; p += 3)
        {
            float original = parameters[p];
            parameters[p] = original + Step;
            double plus = trainer.Backpropagate(Rows);
            parameters[p] = original - Step;
            double minus = trainer.Backpropagate(Rows);
            parameters[p] = original;
            double numeric = (plus - minus) / (2 * Step);
            // ReLU kinks make a few finite differences meaningless; a loose bound still catches any wrong term.
            Assert.True(Math.Abs(numeric - analytic[p]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                $"parameter {p}: backprop {analytic[p]:G6}, finite difference {numeric:G6}");
            checkedCount++;
        }
        Assert.True(checkedCount > 50);
    }
}
