namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>Input checks shared by entities. Every failure is a <see cref="DomainException"/> with a UI key.</summary>
public static class Guard
{
    /// <summary>Trims and checks a required single-line text; refuses empty, too long, or control characters.</summary>
    public static string RequiredText(string? value, int maxLength, string field)
    {
        var text = (value ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw new DomainException($"{field}.Required");
        }

        if (text.Length > maxLength)
        {
            throw new DomainException($"{field}.TooLong", maxLength, text.Length);
        }

        if (text.Any(c => char.IsControl(c)))
        {
            throw new DomainException($"{field}.InvalidCharacters");
        }

        return text;
    }

    /// <summary>Trims and checks a required text that may span lines (a reason, a description).</summary>
    public static string RequiredMultilineText(string? value, int maxLength, string field) =>
        OptionalText(value, maxLength, field) ?? throw new DomainException($"{field}.Required");

    /// <summary>Trims an optional text; null when empty. Multi-line allowed.</summary>
    public static string? OptionalText(string? value, int maxLength, string field)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            throw new DomainException($"{field}.TooLong", maxLength, text.Length);
        }

        return text;
    }
}
