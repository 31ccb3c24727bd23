using System.Text.Json;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Voting;

public enum PollStatus
{
    Draft,
    Open,
    Closed,
    Published,
    Annulled,
}

/// <summary>
/// A vote on an agenda item. Lifecycle: draft → open (optional closing time) → closed → published; a closed or
/// published vote is never reopened, and annulling one needs the chair and the secretary both (<see cref="Annul"/>).
/// Electronic ballots are separate rows (<see cref="Ballot"/>, <see cref="Participation"/>); the per-option counters
/// here are incremented in the same transaction as each ballot, only while the vote is open.
/// </summary>
public sealed class Poll
{
    public const int AnnulmentReasonMax = 1000;

    private readonly List<PollOption> _options = [];

    private Poll()
    {
        Question = CreatedByUserId = string.Empty;
        Rule = MajorityRule.SimpleOfVotesCast;
    }

    private Poll(int sessionId, int agendaItemId, string question, PollSpec spec, string createdByUserId, DateTime nowUtc)
    {
        SessionId = sessionId;
        AgendaItemId = agendaItemId;
        Question = Guard.RequiredText(question, Limits.Question, "Poll.Question");
        Method = spec.Method;
        Secrecy = spec.Secrecy;
        Rule = spec.Rule;
        MinChoices = spec.MinChoices;
        MaxChoices = spec.MaxChoices;
        Seats = spec.Seats;
        CreatedByUserId = createdByUserId;
        CreatedAtUtc = nowUtc;
        Status = PollStatus.Draft;
        for (var i = 0; i < spec.Options.Count; i++)
        {
            _options.Add(new PollOption(i, spec.Options[i]));
        }
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public int AgendaItemId { get; private set; }

    public string Question { get; private set; }

    public VoteMethod Method { get; private set; }

    public Secrecy Secrecy { get; private set; }

    public MajorityRule Rule { get; private set; }

    public int MinChoices { get; private set; }

    public int MaxChoices { get; private set; }

    public int Seats { get; private set; }

    public PollStatus Status { get; private set; }

    public string CreatedByUserId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? OpenedAtUtc { get; private set; }

    /// <summary>When set, the vote closes by itself at this time.</summary>
    public DateTime? ClosesAtUtc { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    public DateTime? PublishedAtUtc { get; private set; }

    /// <summary>Electronic ballots stored. Concurrency token: closing fails if a ballot arrived after the count.</summary>
    public int BallotCount { get; private set; }

    /// <summary>Electronic ballots with no option marked.</summary>
    public int BlankBallots { get; private set; }

    /// <summary>Paper or show-of-hands ballots entered by the chair (members without a device).</summary>
    public int PaperBallots { get; private set; }

    public int PaperBlankBallots { get; private set; }

    /// <summary>Ballots possible when the vote opened: voting members present plus proxies held by present members.</summary>
    public int EligibleAtOpen { get; private set; }

    public int PresentAtClose { get; private set; }

    public int MembersAtClose { get; private set; }

    public PollOutcome? Outcome { get; private set; }

    /// <summary>The decision with its arithmetic (JSON of <see cref="PollDecision"/>), fixed at close.</summary>
    public string? DecisionJson { get; private set; }

    public string? AnnulmentReason { get; private set; }

    public string? AnnulmentRequestedByUserId { get; private set; }

    public string? AnnulmentRequestedAs { get; private set; }

    public string? AnnulledByUserId { get; private set; }

    public DateTime? AnnulledAtUtc { get; private set; }

    public IReadOnlyList<PollOption> Options => _options;

    public PollSpec Spec => new(Method, _options.OrderBy(o => o.Index).Select(o => o.Label).ToList(), MinChoices, MaxChoices, Seats, Secrecy, Rule);

    /// <summary>Whether anyone may see the counts now: named votes while open, every vote once closed.</summary>
    public bool CountsVisible => Status is PollStatus.Closed or PollStatus.Published || (Status == PollStatus.Open && Secrecy == Secrecy.Named);

    public static Poll Draft(int sessionId, int agendaItemId, string question, PollSpec spec, string createdByUserId, DateTime nowUtc) =>
        new(sessionId, agendaItemId, question, spec.Validated(), createdByUserId, nowUtc);

    public void Open(int eligible, DateTime nowUtc, TimeSpan? closesAfter)
    {
        if (Status != PollStatus.Draft)
        {
            throw new DomainException(Status == PollStatus.Open ? "Poll.AlreadyOpen" : "Poll.Closed");
        }

        if (eligible <= 0)
        {
            throw new DomainException("Poll.NoEligibleVoters");
        }

        if (closesAfter is { } after && (after < TimeSpan.FromSeconds(10) || after > TimeSpan.FromHours(24)))
        {
            throw new DomainException("Poll.TimerOutOfRange", 10, 24 * 60 * 60);
        }

        Status = PollStatus.Open;
        OpenedAtUtc = nowUtc;
        EligibleAtOpen = eligible;
        ClosesAtUtc = closesAfter is { } d ? nowUtc + d : null;
    }

    public void EnsureAcceptsBallots()
    {
        if (Status != PollStatus.Open)
        {
            throw new DomainException(Status == PollStatus.Draft ? "Poll.NotOpenYet" : "Poll.Closed");
        }
    }

    /// <summary>As <see cref="EnsureAcceptsBallots()"/>, and the closing time (if any) has not passed, timer run or not.</summary>
    public void EnsureAcceptsBallots(DateTime nowUtc)
    {
        EnsureAcceptsBallots();
        if (ClosesAtUtc is { } closes && nowUtc >= closes)
        {
            throw new DomainException("Poll.Closed");
        }
    }

    /// <summary>The electronic counts held in the counters.</summary>
    public VoteCount ElectronicCount() =>
        new(_options.OrderBy(o => o.Index).Select(o => o.Votes).ToArray(), BallotCount) { BlankBallots = BlankBallots };

    public VoteCount PaperCount() =>
        new(_options.OrderBy(o => o.Index).Select(o => o.PaperVotes).ToArray(), PaperBallots) { BlankBallots = PaperBlankBallots };

    public VoteCount TotalCount() => ElectronicCount().Add(PaperCount());

    /// <summary>
    /// Records the counted paper or show-of-hands votes (replacing an earlier entry). The total of electronic and paper
    /// ballots may not exceed the ballots possible (<paramref name="eligible"/>).
    /// </summary>
    public void RecordPaperCount(int ballots, IReadOnlyList<int> optionVotes, int blankBallots, int eligible, DateTime? nowUtc = null)
    {
        if (nowUtc is { } now)
        {
            EnsureAcceptsBallots(now);
        }
        else
        {
            EnsureAcceptsBallots();
        }

        if (optionVotes.Count != _options.Count || optionVotes.Any(v => v < 0) || ballots < 0 || blankBallots < 0)
        {
            throw new DomainException("Paper.Invalid");
        }

        var marks = optionVotes.Sum();
        var markedBallots = ballots - blankBallots;
        if (markedBallots < 0)
        {
            // More blank ballots than ballots: no count of marks could be right.
            throw new DomainException("Paper.Invalid");
        }

        if (marks < (long)markedBallots * Math.Max(1, MinChoices) || marks > (long)markedBallots * MaxChoices)
        {
            // One mark a ballot (a motion, a single choice): the options must add up to the ballots, said in those words.
            throw MaxChoices == 1
                ? new DomainException("Paper.MarksMustEqualBallots", markedBallots, marks)
                : new DomainException("Paper.MarksDoNotMatchBallots", markedBallots, MinChoices, MaxChoices, marks);
        }

        if (Method == VoteMethod.YesNoAbstain && blankBallots != 0)
        {
            throw new DomainException("Paper.Invalid");
        }

        if (BallotCount + ballots > eligible)
        {
            throw new DomainException("Paper.ExceedsEligible", BallotCount, ballots, eligible);
        }

        PaperBallots = ballots;
        PaperBlankBallots = blankBallots;
        foreach (var option in _options)
        {
            option.SetPaperVotes(optionVotes[option.Index]);
        }
    }

    /// <summary>
    /// Whether the ballots counted from storage agree with the counters: every count for a named vote; for a secret vote,
    /// whose counters hold only the number of ballots until it closes (ADR 0016), that number.
    /// </summary>
    public bool Matches(VoteCount countedElectronic) =>
        Secrecy == Secrecy.Secret ? countedElectronic.Ballots == BallotCount : countedElectronic.ValueEquals(ElectronicCount());

    /// <summary>
    /// Closes the vote: the counters must match the stored ballots (<see cref="Matches"/>); a secret vote's option counts
    /// are set from its opened ballots now; decides by the rule.
    /// </summary>
    public PollDecision Close(VoteCount countedElectronic, int present, int members, bool quorumMet, DateTime nowUtc)
    {
        EnsureAcceptsBallots();
        if (!Matches(countedElectronic))
        {
            throw new InvalidOperationException($"Poll {Id}: stored ballots do not match the counters");
        }

        if (Secrecy == Secrecy.Secret)
        {
            BlankBallots = countedElectronic.BlankBallots;
            foreach (var option in _options)
            {
                option.SetVotes(countedElectronic[option.Index]);
            }
        }

        var decision = VoteCounting.Decide(Spec, TotalCount(), present, members, quorumMet);
        Status = PollStatus.Closed;
        ClosedAtUtc = nowUtc;
        PresentAtClose = present;
        MembersAtClose = members;
        Outcome = decision.Outcome;
        DecisionJson = JsonSerializer.Serialize(decision);
        return decision;
    }

    public PollDecision? Decision => DecisionJson is null ? null : JsonSerializer.Deserialize<PollDecision>(DecisionJson);

    public void Publish(DateTime nowUtc)
    {
        if (Status != PollStatus.Closed)
        {
            throw new DomainException(Status == PollStatus.Published ? "Poll.AlreadyPublished" : "Poll.NotClosed");
        }

        Status = PollStatus.Published;
        PublishedAtUtc = nowUtc;
    }

    /// <summary>
    /// Annulment needs two people: the first (chair or secretary) requests it with a reason; the other role confirms.
    /// Returns true when the vote is now annulled.
    /// </summary>
    public bool Annul(string userId, string role, string? reason, DateTime nowUtc)
    {
        if (Status is not (PollStatus.Closed or PollStatus.Published))
        {
            throw new DomainException(Status == PollStatus.Annulled ? "Poll.AlreadyAnnulled" : "Poll.NotClosed");
        }

        if (AnnulmentRequestedByUserId is null)
        {
            AnnulmentReason = Guard.RequiredText(reason, AnnulmentReasonMax, "Poll.AnnulmentReason");
            AnnulmentRequestedByUserId = userId;
            AnnulmentRequestedAs = role;
            return false;
        }

        if (AnnulmentRequestedByUserId == userId || AnnulmentRequestedAs == role)
        {
            throw new DomainException("Poll.AnnulmentNeedsSecondPerson");
        }

        Status = PollStatus.Annulled;
        AnnulledByUserId = userId;
        AnnulledAtUtc = nowUtc;
        return true;
    }
}

/// <summary>An option of a vote (for yes / no / abstain: 0 yes, 1 no, 2 abstain), with its counters.</summary>
public sealed class PollOption
{
    private PollOption()
    {
        Label = string.Empty;
    }

    internal PollOption(int index, string label)
    {
        Index = index;
        Label = label;
    }

    public int Id { get; private set; }

    public int PollId { get; private set; }

    public int Index { get; private set; }

    public string Label { get; private set; }

    /// <summary>Electronic votes: incremented with each ballot of a named vote; set when a secret vote is counted at its close.</summary>
    public int Votes { get; private set; }

    public int PaperVotes { get; private set; }

    internal void SetPaperVotes(int votes) => PaperVotes = votes;

    internal void SetVotes(int votes) => Votes = votes;
}
