using Lineage;

namespace IrisPipeline;

public enum Species
{
    Setosa,
    Versicolor,
    Virginica,
}

/// <summary>Measurements and targets, prepared from raw text: the pipeline's first artifact.</summary>
[Artifact]
public sealed record IrisDataset(float[][] Features, float[] Targets);

/// <summary>A linear model. [Artifact] gives it a serializer: no partial, no [MemoryPackable].</summary>
[Artifact]
public sealed record IrisModel(float[] Weights, float Bias);

/// <summary>A nominal type with required and init-only members, collections and an enum.</summary>
[Artifact]
public sealed class EvaluationReport
{
    public required string Summary { get; init; }

    public List<double> Losses { get; set; } = [];

    public Dictionary<Species, int> Predicted { get; set; } = [];

    public IrisModel? Model { get; init; }
}
