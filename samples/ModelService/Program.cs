// A model behind an HTTP API: the store comes from configuration (section "Lineage", then LINEAGE_* variables, the user config
// file and the defaults), the production model loads at start, /health checks the database and the storage root, and every
// request and every store operation is traced to the console.
using Lineage;
using ModelService;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddLineage(builder.Configuration.GetSection("Lineage")).UseAsDefault();
builder.Services.AddHealthChecks().AddLineage(access: LineageStorageAccess.ReadOnly);
builder.Services.AddSingleton<ProductionModel>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<ProductionModel>());
// Lineage's spans (lineage.load at start, ...) and instruments (lineage.bytes_read, lineage.load.duration, ...) join the
// request traces; its log events ("Opened the store on ...") go to the host's logging like any library's.
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("ModelService"))
    .WithTracing(tracing => tracing
        .AddAspNetCoreInstrumentation()
        .AddSource(LineageTelemetry.ActivitySourceName)
        .AddConsoleExporter())
    .WithMetrics(metrics => metrics
        .AddMeter(LineageTelemetry.MeterName)
        .AddConsoleExporter());

var app = builder.Build();

app.MapHealthChecks("/health");

app.MapGet("/model", (ProductionModel model) => new ModelInfo(
    model.Record.Name, model.Record.Version, model.Record.CodeVersion, model.Record.CreatedAt, model.Record.Aliases));

app.MapPost("/predict", (PredictionRequest request, ProductionModel model) =>
{
    if (request.Features is not { Length: > 0 } features)
    {
        return Results.BadRequest(new { error = "features: an array of petal length and petal width" });
    }

    try
    {
        return Results.Ok(new Prediction(model.Predict(features), $"{model.Record.Name}@{model.Record.Version}"));
    }
    catch (ArgumentException e)
    {
        return Results.BadRequest(new { error = e.Message });
    }
});

app.Run();

internal sealed record PredictionRequest(float[]? Features);

internal sealed record Prediction(float SepalLength, string Model);

internal sealed record ModelInfo(string Name, int Version, string? CodeVersion, DateTimeOffset CreatedAt, IReadOnlyList<string> Aliases);
