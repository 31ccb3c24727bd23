using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>How a refused call must fail: the exception's exact type and, except for <see cref="NotFoundException"/>, its code.</summary>
public sealed record Refusal(Type Exception, string? Code)
{
    public static Refusal Forbidden(string code) => new(typeof(ForbiddenException), code);

    public static Refusal Domain(string code) => new(typeof(DomainException), code);

    /// <summary>A private thing answers as if it did not exist.</summary>
    public static readonly Refusal NotFound = new(typeof(NotFoundException), null);

    public bool Matches(Exception ex) => ex.GetType() == Exception && (Code is null || CodeOf(ex) == Code);

    public static string? CodeOf(Exception ex) => ex switch
    {
        ForbiddenException f => f.Code,
        DomainException d => d.Code,
        NotFoundException n => n.What,
        _ => null,
    };

    public static string Describe(Exception ex) => CodeOf(ex) is { } code ? $"{ex.GetType().Name} {code}" : $"{ex.GetType().Name}: {ex.Message}";

    public override string ToString() => Code is null ? Exception.Name : $"{Exception.Name} {Code}";
}

/// <summary>What a query showed one caller, for the row's check.</summary>
public sealed record Seen<T>(ActorKind Kind, T Target, MatrixStage Stage);

/// <summary>
/// One row of the <see cref="AuthorizationMatrix"/>: a service command ("Service.Method", an overload named by a
/// parameter only it has), how to make a fresh target for it, how to call it as a <see cref="Caller"/>, the actors
/// allowed, and the refusal every other actor meets. Rows for queries that filter rather than refuse also state what
/// each actor sees. Built with <see cref="Row.Of"/>.
/// </summary>
public abstract class MatrixRow
{
    private readonly Dictionary<ActorKind, Refusal> _refusals = [];
    private readonly HashSet<string> _stateCodes = new(StringComparer.Ordinal);

    protected MatrixRow(string command, string? @case)
    {
        Command = command;
        Case = @case;
    }

    /// <summary>"Service.Method" or "Service.Method(parameter)", as <see cref="AuthorizationMatrixTests.EveryServiceCommandHasARowInTheMatrix"/> matches it.</summary>
    public string Command { get; }

    /// <summary>Which target, when a command has more than one row (e.g. "a Chengli session").</summary>
    public string? Case { get; }

    public string Name => Case is null ? Command : $"{Command} — {Case}";

    public Actors Allowed { get; private set; }

    /// <summary>The representative playing <see cref="ActorKind.Member"/> in this row (set by the table).</summary>
    public int MemberRep { get; internal set; }

    /// <summary>Which seeded database the row runs on (<see cref="AuthorizationMatrix.RowsPerSheet"/> rows each).</summary>
    public int Sheet { get; internal set; }

    /// <summary>A query: nothing may be stored for any actor, allowed or not, so one target serves every cell.</summary>
    public bool ReadOnly { get; private set; }

    internal bool HasCall { get; private protected set; }

    public Refusal? RefusalFor(ActorKind kind) => _refusals.GetValueOrDefault(kind);

    /// <summary>A domain error that an allowed actor may meet on a fresh target without it meaning a refusal.</summary>
    public bool ToleratesState(string? code) => code is not null && _stateCodes.Contains(code);

    internal abstract Task<object> SetUpAsync(MatrixStage stage);

    /// <summary>Calls the command; returns the check of what the caller saw (for query rows), to run after the call.</summary>
    internal abstract Task<Action?> CallAsync(MatrixStage stage, object target, Caller caller);

    public override string ToString() => Name;

    private protected void Allow(Actors actors) => Allowed |= actors;

    private protected void Refuse(Refusal refusal, Actors? only)
    {
        foreach (var kind in ActorKinds.All.Where(k => only?.Contains(k) ?? true))
        {
            if (only is not null || !_refusals.ContainsKey(kind))
            {
                _refusals[kind] = refusal;
            }
        }
    }

    private protected void Tolerate(IEnumerable<string> codes) => _stateCodes.UnionWith(codes);

    private protected void MarkReadOnly() => ReadOnly = true;
}

/// <summary>A row whose target is a <typeparamref name="T"/>.</summary>
public sealed class MatrixRow<T> : MatrixRow
    where T : notnull
{
    private readonly Func<MatrixStage, Task<T>> _setup;
    private Func<MatrixStage, T, Caller, Task<Action?>>? _call;

    internal MatrixRow(string command, string? @case, Func<MatrixStage, Task<T>> setup)
        : base(command, @case)
    {
        _setup = setup;
    }

    /// <summary>The command, as <paramref name="call"/> makes it for the caller on the target.</summary>
    public MatrixRow<T> When(Func<MatrixStage, T, Caller, Task> call)
    {
        _call = async (stage, target, caller) =>
        {
            await call(stage, target, caller);
            return null;
        };
        HasCall = true;
        return this;
    }

    /// <summary>A query: what it answers each allowed caller is checked by <paramref name="check"/>. Queries store nothing.</summary>
    public MatrixRow<T> Shows<TResult>(Func<MatrixStage, T, Caller, Task<TResult>> query, Action<Seen<T>, TResult> check)
    {
        _call = async (stage, target, caller) =>
        {
            var result = await query(stage, target, caller);
            return () => check(new Seen<T>(caller.Kind, target, stage), result);
        };
        HasCall = true;
        MarkReadOnly();
        return this;
    }

    public MatrixRow<T> Allows(Actors actors)
    {
        Allow(actors);
        return this;
    }

    /// <summary>The refusal of every actor not allowed (or, with <paramref name="only"/>, of those actors).</summary>
    public MatrixRow<T> Refuses(Refusal refusal, Actors? only = null)
    {
        Refuse(refusal, only);
        return this;
    }

    /// <summary>A query that refuses some actors: nothing is stored for anyone.</summary>
    public MatrixRow<T> Query()
    {
        MarkReadOnly();
        return this;
    }

    public MatrixRow<T> ToleratesStateErrors(params string[] codes)
    {
        Tolerate(codes);
        return this;
    }

    internal override async Task<object> SetUpAsync(MatrixStage stage) => await _setup(stage);

    internal override Task<Action?> CallAsync(MatrixStage stage, object target, Caller caller) =>
        (_call ?? throw new InvalidOperationException($"{Name}: no call")).Invoke(stage, (T)target, caller);
}

/// <summary>Starts a row of the matrix: <c>Row.Of("Service.Method").Given(setup).When(call).Allows(…).Refuses(…)</c>.</summary>
public sealed class Row
{
    private readonly string _command;
    private readonly string? _case;

    private Row(string command, string? @case)
    {
        _command = command;
        _case = @case;
    }

    public static Row Of(string command, string? @case = null) => new(command, @case);

    /// <summary>The fresh target the row needs, made anew for the refused actors and for every allowed one.</summary>
    public MatrixRow<T> Given<T>(Func<MatrixStage, Task<T>> setup)
        where T : notnull => new(_command, _case, setup);

    /// <summary>A command that needs no target.</summary>
    public MatrixRow<NoTarget> When(Func<MatrixStage, Caller, Task> call) =>
        new MatrixRow<NoTarget>(_command, _case, _ => Task.FromResult(NoTarget.Value)).When((stage, _, caller) => call(stage, caller));
}

/// <summary>The target of a row that needs none.</summary>
public sealed record NoTarget
{
    public static readonly NoTarget Value = new();
}
