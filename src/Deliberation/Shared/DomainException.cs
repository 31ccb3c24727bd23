namespace CommunityDeliberation.Deliberation.Shared;

/// <summary>
/// A rule was broken or input was refused. <see cref="Code"/> is a stable key that the UI localizes
/// (resource key <c>Error.{Code}</c>); <see cref="Arguments"/> fill its placeholders. Nothing was stored.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, params object[] arguments)
        : base(FormattableString.Invariant($"{code} ({string.Join(", ", arguments)})"))
    {
        Code = code;
        Arguments = arguments;
    }

    public string Code { get; }

    public IReadOnlyList<object> Arguments { get; }
}

/// <summary>The thing a caller asked for does not exist (or is not visible to them).</summary>
public sealed class NotFoundException(string what, object id)
    : Exception(FormattableString.Invariant($"{what} {id} was not found"))
{
    public string What { get; } = what;

    public object Id { get; } = id;
}

/// <summary>The caller is not allowed to do this. Checked in services, never only in the UI.</summary>
public sealed class ForbiddenException(string code) : Exception(code)
{
    public string Code { get; } = code;
}
