using IrisPipeline;
using Lineage;

namespace ModelService;

/// <summary>
/// The version of <c>iris-model</c> that the alias <c>production</c> points at, loaded once when the service starts: a service
/// without its model fails at start, with the store's message, instead of answering requests it cannot serve.
/// </summary>
internal sealed partial class ProductionModel(ArtifactStore store, ILogger<ProductionModel> logger) : IHostedService
{
    public const string Reference = "iris-model@production";

    private (ArtifactRecord Record, IrisModel Model)? _loaded;

    public ArtifactRecord Record => Loaded.Record;

    public IrisModel Model => Loaded.Model;

    private (ArtifactRecord Record, IrisModel Model) Loaded =>
        _loaded ?? throw new InvalidOperationException("The model is loaded when the host starts.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The record comes from the host's store; the value through the generated accessor, which uses ArtifactStore.Default —
        // the same database and root, because Program.cs registers the store with UseAsDefault().
        var record = await store.GetAsync(Reference, cancellationToken: cancellationToken);
        var model = await Artifacts.IrisModel.LoadAsync(record.Version, cancellationToken: cancellationToken);
        _loaded = (record, model);
        LogServing(logger, Reference, record.Version, record.CodeVersion);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Reference}: version {Version}, code version {CodeVersion}")]
    private static partial void LogServing(ILogger logger, string reference, int version, string? codeVersion);

    /// <summary>Petal length from petal measurements, as the pipeline's training code computes it.</summary>
    public float Predict(IReadOnlyList<float> features)
    {
        var model = Model;
        if (features.Count != model.Weights.Length)
        {
            throw new ArgumentException($"{Reference} takes {model.Weights.Length} features, not {features.Count}.", nameof(features));
        }

        var sum = model.Bias;
        for (var j = 0; j < features.Count; j++)
        {
            sum += features[j] * model.Weights[j];
        }

        return sum;
    }
}
