using CommunityDeliberation.Deliberation.Shared;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Turns a refused action into a localized sentence. Unknown failures get a generic message, never a stack trace.</summary>
public static class ErrorMessages
{
    public static string Describe(Exception exception, IStringLocalizer localizer) => exception switch
    {
        DomainException domain => Lookup(localizer, "Error." + domain.Code, domain.Arguments.ToArray()) ?? localizer["Error.Generic"],
        ForbiddenException forbidden => Lookup(localizer, "Error.Forbidden." + forbidden.Code, []) ?? localizer["Error.Forbidden.NotAllowed"],
        NotFoundException => localizer["Error.NotFound"],
        _ => localizer["Error.Unexpected"],
    };

    public static bool IsExpected(Exception exception) => exception is DomainException or ForbiddenException or NotFoundException;

    private static string? Lookup(IStringLocalizer localizer, string key, object[] arguments)
    {
        var text = localizer[key, arguments];
        return text.ResourceNotFound ? null : text.Value;
    }
}
