using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>Where a consultation's topic came from; the link is kept (<see cref="Consultation.SourceId"/>).</summary>
public enum ConsultationSource
{
    /// <summary>Raised by the convener directly.</summary>
    None,
    Proposal,

    /// <summary>A resident's intake topic (Topics feature).</summary>
    Topic,

    /// <summary>An issue raised at a hearing.</summary>
    HearingIssue,
}

/// <summary>Where a consultation stands. Rounds repeat: round open ⇄ between rounds, then the decision.</summary>
public enum ConsultationStage
{
    /// <summary>Blocs are chosen and file their first positions; no round held yet.</summary>
    Preparing,

    /// <summary>A deliberation round is under way in the session (agenda, comments, speakers' queue); positions are frozen.</summary>
    RoundOpen,

    /// <summary>A round has closed; blocs may revise their positions before the next round or the decision.</summary>
    BetweenRounds,

    /// <summary>The decision step is open: spokespersons vote, or the convener records a consensus.</summary>
    Deciding,

    Decided,
}

/// <summary>How the decision is taken.</summary>
public enum DecisionMethod
{
    /// <summary>One vote per bloc, cast by its spokesperson.</summary>
    BlocVote,

    /// <summary>A consensus recorded by the convener, with dissent recorded by bloc.</summary>
    Consensus,
}

/// <summary>
/// A "1+X+1" consultation (协商): the convener body (the first "1") puts a topic to stakeholder blocs (the "X"), who file
/// positions and deliberate in rounds in a consultation session; on an important topic a third-party assessment (the
/// last "1") must be filed before the decision step opens. The decision is a vote of the blocs' spokespersons (one per
/// bloc) or a consensus, with dissent recorded by bloc; it produces follow-up items in the work ledger.
/// Positions may be filed and revised only while no round is open and before the decision step (Preparing and
/// BetweenRounds): what a bloc argues in a round is the position it filed before it.
/// </summary>
public sealed class Consultation
{
    public const int TitleMax = Limits.Title;
    public const int TextMax = Limits.TopicText;
    public const int DecisionMax = Limits.TopicText;
    public const int MaxBlocs = 12;

    private readonly List<ConsultationBloc> _blocs = [];

    private Consultation()
    {
        Title = TopicMarkdown = string.Empty;
    }

    private Consultation(int sessionId, int bodyId, int termId, ConsultationInput input, DateTime nowUtc)
    {
        SessionId = sessionId;
        BodyId = bodyId;
        TermId = termId;
        Title = Guard.RequiredText(input.Title, TitleMax, "Consultation.Title");
        TopicMarkdown = Guard.RequiredMultilineText(input.TopicMarkdown, TextMax, "Consultation.Topic");
        IsImportant = input.IsImportant;
        Source = Enum.IsDefined(input.Source) ? input.Source : throw new DomainException("Consultation.Source");
        SourceId = input.Source == ConsultationSource.None ? null : input.SourceId ?? throw new DomainException("Consultation.SourceRequired");
        Stage = ConsultationStage.Preparing;
        CreatedAtUtc = nowUtc;
    }

    public int Id { get; private set; }

    /// <summary>The consultation session it is run in (kind Consultation); its agenda, speakers' queue and log serve the rounds.</summary>
    public int SessionId { get; private set; }

    /// <summary>The convener body (the consultation council led by the community party organisation).</summary>
    public int BodyId { get; private set; }

    public int TermId { get; private set; }

    public string Title { get; private set; }

    /// <summary>The topic as put to the blocs (Markdown, rendered with raw HTML disabled).</summary>
    public string TopicMarkdown { get; private set; }

    /// <summary>An important topic: the decision step waits for the third-party assessment.</summary>
    public bool IsImportant { get; private set; }

    public ConsultationSource Source { get; private set; }

    public int? SourceId { get; private set; }

    public ConsultationStage Stage { get; private set; }

    /// <summary>Rounds opened so far (the current one while a round is open).</summary>
    public int Round { get; private set; }

    public DecisionMethod? Method { get; private set; }

    /// <summary>Whether the decision adopted the proposal put (a vote's majority, or the consensus).</summary>
    public bool? Adopted { get; private set; }

    public string? DecisionMarkdown { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>Bumped by every change: two conveners acting at once cannot both win.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<ConsultationBloc> Blocs => _blocs;

    public static Consultation Open(int sessionId, int bodyId, int termId, ConsultationInput input, DateTime nowUtc) => new(sessionId, bodyId, termId, input, nowUtc);

    /// <summary>Positions may be filed or revised: before the first round and between rounds.</summary>
    public bool AcceptsPositions => Stage is ConsultationStage.Preparing or ConsultationStage.BetweenRounds;

    /// <summary>Blocs may be chosen and their members changed while no round is open and before the decision.</summary>
    public bool AcceptsBlocChanges => Stage is ConsultationStage.Preparing or ConsultationStage.BetweenRounds;

    /// <summary>What still keeps the decision step shut (codes the page turns into sentences); empty when it may open.</summary>
    public IReadOnlyList<string> MissingForDecision(bool assessmentFiled)
    {
        var missing = new List<string>();
        if (_blocs.Count < 2)
        {
            missing.Add("Consultation.Missing.Blocs");
        }

        if (Round == 0)
        {
            missing.Add("Consultation.Missing.Round");
        }

        if (Stage == ConsultationStage.RoundOpen)
        {
            missing.Add("Consultation.Missing.RoundOpen");
        }

        if (IsImportant && !assessmentFiled)
        {
            missing.Add("Consultation.Missing.Assessment");
        }

        return missing;
    }

    public ConsultationBloc AddBloc(string? kind, string? name, IReadOnlyCollection<string> configuredKinds)
    {
        EnsureBlocChanges();
        var k = Guard.RequiredText(kind, ConsultationBloc.KindMax, "Consultation.BlocKind");
        if (!configuredKinds.Contains(k))
        {
            throw new DomainException("Consultation.UnknownBlocKind", k);
        }

        var n = Guard.RequiredText(name, ConsultationBloc.NameMax, "Consultation.BlocName");
        if (_blocs.Any(b => b.Name == n))
        {
            throw new DomainException("Consultation.BlocExists", n);
        }

        if (_blocs.Count >= MaxBlocs)
        {
            throw new DomainException("Consultation.TooManyBlocs", MaxBlocs);
        }

        var bloc = new ConsultationBloc(k, n);
        _blocs.Add(bloc);
        Touch();
        return bloc;
    }

    /// <summary>Adds a member (with an account, or named only); a person belongs to one bloc of the consultation at most.</summary>
    public void AddMember(int blocId, string? userId, string? name, bool spokesperson)
    {
        EnsureBlocChanges();
        if (userId is not null && _blocs.Any(b => b.Members.Any(m => m.UserId == userId)))
        {
            throw new DomainException("Consultation.AlreadyInABloc");
        }

        BlocOf(blocId).AddMember(userId, name, spokesperson);
        Touch();
    }

    public void RemoveMember(int blocId, int memberId)
    {
        EnsureBlocChanges();
        BlocOf(blocId).RemoveMember(memberId);
        Touch();
    }

    public void MakeSpokesperson(int blocId, int memberId)
    {
        EnsureBlocChanges();
        BlocOf(blocId).MakeSpokesperson(memberId);
        Touch();
    }

    /// <summary>The bloc's member files (or revises) its position; refused while a round is open or after the decision step opened.</summary>
    public BlocPosition FilePosition(int blocId, string userId, Stance stance, string? markdown, DateTime nowUtc)
    {
        if (!AcceptsPositions)
        {
            throw new DomainException("Consultation.PositionsClosed");
        }

        var position = BlocOf(blocId).File(userId, stance, markdown, Round, nowUtc);
        Touch();
        return position;
    }

    public void OpenRound()
    {
        if (Stage is not (ConsultationStage.Preparing or ConsultationStage.BetweenRounds))
        {
            throw new DomainException("Consultation.WrongStage", Stage.ToString());
        }

        if (_blocs.Count == 0)
        {
            throw new DomainException("Consultation.Missing.Blocs");
        }

        Round++;
        Stage = ConsultationStage.RoundOpen;
        Touch();
    }

    public void CloseRound()
    {
        if (Stage != ConsultationStage.RoundOpen)
        {
            throw new DomainException("Consultation.NoRoundOpen");
        }

        Stage = ConsultationStage.BetweenRounds;
        Touch();
    }

    /// <summary>Opens the decision step; refused with the first thing missing (the assessment of an important topic among them).</summary>
    public void OpenDecision(DecisionMethod method, bool assessmentFiled)
    {
        if (Stage is ConsultationStage.Deciding or ConsultationStage.Decided)
        {
            throw new DomainException("Consultation.WrongStage", Stage.ToString());
        }

        if (!Enum.IsDefined(method))
        {
            throw new DomainException("Consultation.Method");
        }

        if (MissingForDecision(assessmentFiled).FirstOrDefault() is { } missing)
        {
            throw new DomainException(missing);
        }

        if (method == DecisionMethod.BlocVote && _blocs.Any(b => b.Spokesperson?.UserId is null))
        {
            throw new DomainException("Consultation.SpokespersonWithoutAccount", _blocs.First(b => b.Spokesperson?.UserId is null).Name);
        }

        Method = method;
        Stage = ConsultationStage.Deciding;
        Touch();
    }

    /// <summary>The bloc a spokesperson speaks for in the vote; refused to anyone else.</summary>
    public ConsultationBloc BlocForVote(string userId)
    {
        if (Stage != ConsultationStage.Deciding || Method != DecisionMethod.BlocVote)
        {
            throw new DomainException("Consultation.NoVoteOpen");
        }

        return _blocs.FirstOrDefault(b => b.Spokesperson?.UserId == userId) ?? throw new ForbiddenException("Consultation.SpokespersonOnly");
    }

    /// <summary>Closes the vote: adopted when more than half of all blocs voted for.</summary>
    public void DecideByVote(IReadOnlyCollection<BlocVote> votes, string? decision, DateTime nowUtc)
    {
        if (Stage != ConsultationStage.Deciding || Method != DecisionMethod.BlocVote)
        {
            throw new DomainException("Consultation.NoVoteOpen");
        }

        if (votes.Count == 0)
        {
            throw new DomainException("Consultation.NoVotes");
        }

        Decide(votes.Count(v => v.Choice == BlocChoice.For) * 2 > _blocs.Count, decision, nowUtc);
    }

    /// <summary>
    /// Records a consensus. Dissenting blocs keep their reservation on record; a "consensus" that half the blocs or more
    /// dissent from is not one (put it to a vote instead).
    /// </summary>
    public void DecideByConsensus(IReadOnlyCollection<int> dissentingBlocIds, string? decision, DateTime nowUtc)
    {
        if (Stage != ConsultationStage.Deciding || Method != DecisionMethod.Consensus)
        {
            throw new DomainException("Consultation.NoConsensusStep");
        }

        if (dissentingBlocIds.Any(id => _blocs.All(b => b.Id != id)))
        {
            throw new DomainException("Consultation.UnknownBloc");
        }

        if (dissentingBlocIds.Distinct().Count() * 2 >= _blocs.Count)
        {
            throw new DomainException("Consultation.NoConsensus", dissentingBlocIds.Distinct().Count(), _blocs.Count);
        }

        Decide(true, decision, nowUtc);
    }

    private void Decide(bool adopted, string? decision, DateTime nowUtc)
    {
        DecisionMarkdown = Guard.RequiredMultilineText(decision, DecisionMax, "Consultation.Decision");
        Adopted = adopted;
        DecidedAtUtc = nowUtc;
        Stage = ConsultationStage.Decided;
        Touch();
    }

    public ConsultationBloc BlocOf(int blocId) => _blocs.FirstOrDefault(b => b.Id == blocId) ?? throw new NotFoundException("Bloc", blocId);

    private void EnsureBlocChanges()
    {
        if (!AcceptsBlocChanges)
        {
            throw new DomainException("Consultation.BlocsFixed");
        }
    }

    private void Touch() => Version++;
}

/// <summary>What the convener enters to open a consultation.</summary>
public sealed record ConsultationInput(string? Title, string? TopicMarkdown, bool IsImportant, ConsultationSource Source = ConsultationSource.None, int? SourceId = null);
