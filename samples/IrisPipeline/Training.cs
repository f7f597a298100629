using Lineage;

namespace IrisPipeline;

public static class Training
{
    /// <summary>Parses "petal length, petal width, sepal length" lines into a dataset: step one of the pipeline.</summary>
    [Artifact("iris-data", Description = "Petal measurements and sepal lengths")]
    public static IrisDataset Prepare(string csv)
    {
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',').Select(cell => float.Parse(cell, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return new IrisDataset([.. rows.Select(r => r[..^1])], [.. rows.Select(r => r[^1])]);
    }

    /// <summary>Fits a linear model by gradient descent. Its code, and every helper it calls, is the artifact's provenance.</summary>
    [Artifact("iris-model", Description = "Linear model of petal length", Tags = ["iris", "linear"])]
    public static IrisModel Train(IrisDataset data, int epochs = 200)
    {
        var (features, targets) = (data.Features, data.Targets);
        var weights = new float[features[0].Length];
        var bias = 0f;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            (weights, bias) = Step(features, targets, weights, bias);
        }

        return new IrisModel(weights, bias);
    }

    private static (float[] Weights, float Bias) Step(float[][] features, float[] targets, float[] weights, float bias)
    {
        var gradient = new float[weights.Length];
        var biasGradient = 0f;
        for (var i = 0; i < features.Length; i++)
        {
            var error = Maths.Predict(features[i], weights, bias) - targets[i];
            for (var j = 0; j < weights.Length; j++)
            {
                gradient[j] += error * features[i][j] / features.Length;
            }

            biasGradient += error / features.Length;
        }

        var next = new float[weights.Length];
        for (var j = 0; j < weights.Length; j++)
        {
            next[j] = weights[j] - (Maths.LearningRate * gradient[j]);
        }

        return (next, bias - (Maths.LearningRate * biasGradient));
    }

    /// <summary>An async artifact: the accessor gets GetOrComputeAsync, and the token is passed through, not hashed.</summary>
    [Artifact("iris-evaluation")]
    public static async Task<EvaluationReport> EvaluateAsync(IrisModel model, IrisDataset data, CancellationToken cancellationToken)
    {
        var (features, targets) = (data.Features, data.Targets);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var losses = features.Select((f, i) => (double)Math.Abs(Maths.Predict(f, model.Weights, model.Bias) - targets[i])).ToList();
        return new EvaluationReport
        {
            Summary = $"mean absolute error {losses.Average():F3} over {losses.Count} flowers",
            Losses = losses,
            Predicted = { [Species.Setosa] = features.Length },
            Model = model,
        };
    }
}

internal static class Maths
{
    public const float LearningRate = 0.05f;

    public static float Predict(float[] features, float[] weights, float bias)
    {
        var sum = bias;
        for (var j = 0; j < weights.Length; j++)
        {
            sum += features[j] * weights[j];
        }

        return sum;
    }
}
