using CommunityDeliberation.Deliberation.Shared;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>Turns a refused action into a localized sentence. Unknown failures get a generic message, never a stack trace.</summary>
public static class ErrorMessages
{
    public static string Describe(Exception exception, IStringLocalizer localizer) => exception switch
    {
        DomainException domain => Lookup(localizer, "Error." + domain.Code, Arguments(domain, localizer)) ?? localizer["Error.Generic"],
        ForbiddenException forbidden => Lookup(localizer, "Error.Forbidden." + forbidden.Code, []) ?? localizer["Error.Forbidden.NotAllowed"],
        NotFoundException => localizer["Error.NotFound"],
        _ => localizer["Error.Unexpected"],
    };

    /// <summary>Codes whose arguments are names of an enumeration, shown in words through the enumeration's own texts.</summary>
    private static readonly Dictionary<string, string> NamedArguments = new(StringComparer.Ordinal)
    {
        ["Hearing.WrongStage"] = "HearingStage.",
        ["Consultation.WrongStage"] = "ConsultationStage.",
    };

    public static bool IsExpected(Exception exception) => exception is DomainException or ForbiddenException or NotFoundException;

    private static object[] Arguments(DomainException domain, IStringLocalizer localizer) =>
        NamedArguments.TryGetValue(domain.Code, out var prefix)
            ? domain.Arguments.Select(a => a is string name && localizer[prefix + name] is { ResourceNotFound: false } text ? text.Value : a).ToArray()
            : domain.Arguments.ToArray();

    private static string? Lookup(IStringLocalizer localizer, string key, object[] arguments)
    {
        var text = localizer[key, arguments];
        return text.ResourceNotFound ? null : text.Value;
    }
}
