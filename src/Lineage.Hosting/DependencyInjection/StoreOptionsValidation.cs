using Microsoft.Extensions.Options;

namespace Lineage.DependencyInjection;

/// <summary>
/// Validates <see cref="LineageOptions"/> the way opening a store does — by resolving them with the store's own rules — so a
/// misconfigured host fails at start with the message <see cref="ArtifactStore.Open"/> would give, without touching the database.
/// </summary>
internal sealed class StoreOptionsValidation : IValidateOptions<LineageOptions>
{
    public ValidateOptionsResult Validate(string? name, LineageOptions options)
    {
        try
        {
            ArtifactStore.ResolveOptions(options);
            return ValidateOptionsResult.Success;
        }
        catch (LineageException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
