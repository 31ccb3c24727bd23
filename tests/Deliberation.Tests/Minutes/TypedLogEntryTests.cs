using System.Text.Json;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>
/// The typed session-log entries: registered, round-tripping, and written exactly as the anonymous objects the
/// services wrote before (each reference below is the old call site's expression, over stand-ins of its variables).
/// </summary>
public sealed class TypedLogEntryTests
{
    /// <summary>How every payload was serialized before the entries were typed.</summary>
    private static readonly JsonSerializerOptions OldOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>"07 ProxyRevokedEntry": the sample's index and record.</summary>
    public static TheoryData<string> Samples => new(LogEntrySamples.All.Select((e, i) => $"{i:00} {e.GetType().Name}"));

    [Fact]
    public void EveryLogEntryRecordOfTheFeaturesIsRegisteredAndHasAKind()
    {
        var records = typeof(SessionLogEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(SessionLogEvent))).ToList();

        Assert.All(records, t => Assert.True(t.IsSealed, $"{t.Name} should be sealed"));
        Assert.All(records, t => Assert.Contains(typeof(ISessionLogEvent), t.GetInterfaces()));
        Assert.Equal(records.Select(t => t.FullName).Order(), SessionLogTypes.Types.Select(t => t.FullName).Order());
        Assert.Equal(44, SessionLogTypes.Kinds.Count);
        Assert.Equal(SessionLogTypes.Types.Select(t => t.Name).Order(), LogEntrySamples.All.Select(e => e.GetType().Name).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryKindRoundTripsFromTypedToJsonAndBack(string sample)
    {
        var entry = LogEntrySamples.All[int.Parse(sample[..2], System.Globalization.CultureInfo.InvariantCulture)];
        var json = SessionLogTypes.Serialize(entry);

        var back = SessionLogTypes.Deserialize(SessionLogTypes.KindOf(entry), json);

        Assert.NotNull(back);
        Assert.IsType(entry.GetType(), back);
        Assert.Equivalent(entry, back, strict: true);
        Assert.Equal(json, SessionLogTypes.Serialize(back));
    }

    [Fact]
    public void SessionEntriesAreWrittenAsBefore()
    {
        Same("{}", new SessionOpenedEntry(), new { });
        Same("{}", new SessionClosedEntry(), new { });

        var (agendaItemId, item) = (11, new { Position = 1, Title = "审议方案" });
        Same("""{"agendaItemId":11,"position":1,"title":"审议方案"}""", new AgendaMovedEntry(agendaItemId, item.Position, item.Title), new { agendaItemId, item.Position, item.Title });

        var member = new { Id = 3, Name = "吴若冰" };
        Same(new CheckedInEntry([new LoggedMember(member.Id, member.Name)], CheckedInEntry.BySelf), new { members = new[] { new { member.Id, member.Name } }, by = "self" });
        var newcomers = new[] { new { Id = 4, Name = "顾蓉" }, new { Id = 5, Name = "钱秀英" } }.ToList();
        Same(new CheckedInEntry(newcomers.Select(m => new LoggedMember(m.Id, m.Name)).ToList(), CheckedInEntry.BySecretary), new { members = newcomers, by = "secretary" });
    }

    [Fact]
    public void ProxyEntriesAreWrittenAsBefore()
    {
        var (me, toMembershipId, name) = (4, 5, "顾蓉");
        var names = new Dictionary<int, string> { [4] = "顾蓉", [5] = "钱秀英" };
        Same(new ProxyGivenEntry(new LoggedMember(me, names[me]), new LoggedMember(toMembershipId, names[toMembershipId])),
            new { from = new { id = me, name = names[me] }, to = new { id = toMembershipId, name = names[toMembershipId] } });
        Same("""{"from":{"id":4,"name":"顾蓉"}}""", new ProxyRevokedEntry(new LoggedMember(me, name)), new { from = new { id = me, name } });
        var delegation = new { FromMembershipId = 4 };
        Same("""{"from":{"id":4,"name":"顾蓉"},"reason":"seatEnded"}""", new ProxyRevokedEntry(new LoggedMember(delegation.FromMembershipId, names[delegation.FromMembershipId]), ProxyRevokedEntry.SeatEnded),
            new { from = new { id = delegation.FromMembershipId, name = names[delegation.FromMembershipId] }, reason = "seatEnded" });
    }

    [Theory]
    [InlineData(null)]
    [InlineData(600)]
    public void AnOpenedVoteIsWrittenAsBefore(int? closesAfterSeconds)
    {
        var spec = new PollSpec(VoteMethod.Election, ["张建国", "李秀英", "王志强"], 0, 2, 2, Secrecy.Secret, new MajorityRule(MajorityKind.Custom, MajorityBase.AllMembers, true, 3, 5)).Validated();
        var poll = Poll.Draft(42, 11, "增补议事会委员(2 名)", spec, "chair", LogEntrySamples.Started);
        poll.Open(76, LogEntrySamples.Started, closesAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        var pollId = poll.Id;

        Same(PollOpenedEntry.Of(poll), new
        {
            pollId, poll.AgendaItemId, poll.Question, method = poll.Method.ToString(), secrecy = poll.Secrecy.ToString(),
            rule = new { kind = poll.Rule.Kind.ToString(), @base = poll.Rule.Base.ToString(), poll.Rule.AbstentionsCount, poll.Rule.Numerator, poll.Rule.Denominator },
            options = poll.Options.OrderBy(o => o.Index).Select(o => o.Label), poll.MinChoices, poll.MaxChoices, poll.Seats,
            eligible = poll.EligibleAtOpen, poll.ClosesAtUtc,
        });
    }

    [Fact]
    public void TheRestOfAVotesEntriesAreWrittenAsBefore()
    {
        var (pollId, ballots, blankBallots) = (7, 2, 1);
        IReadOnlyList<int> optionVotes = [1, 0, 0];
        Same("""{"pollId":7,"ballots":2,"blank":1,"votes":[1,0,0]}""", new PaperCountedEntry(pollId, ballots, blankBallots, optionVotes), new { pollId, ballots, blank = blankBallots, votes = optionVotes });
        Same(new PollPublishedEntry(pollId), new { pollId });

        var (reason, role) = ((string?)"计票时发现重复发放选票", AnnulmentSides.Chair);
        Same(new AnnulmentRequestedEntry(pollId, reason, role), new { pollId, reason, role });
        Same(new PollAnnulledEntry(pollId, reason, AnnulmentSides.Secretary), new { pollId, reason, role = AnnulmentSides.Secretary });
        Same(new AnnulmentRequestedEntry(pollId, null, role), new { pollId, reason = (string?)null, role });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AClosedVoteIsWrittenAsBefore(bool named)
    {
        var pollId = 7;
        var total = new VoteCount([3, 1, 2], 6) { BlankBallots = 1 };
        var paper = new VoteCount([1, 0, 0], 1);
        var decision = new PollDecision(PollOutcome.Tie, 5, 3, [0], [1, 2], [0, 2, 1]);
        var quorum = new { Present = 76, Eligible = 151, IsMet = true };
        List<NamedVote> votes = named ? [new("吴若冰", [0], false), new("顾蓉", [], true)] : [];

        var json = Same(
            new PollClosedEntry(pollId, decision.Outcome.ToString(), LoggedCount.Of(total), LoggedCount.Of(paper), LoggedDecision.Of(decision),
                quorum.Present, quorum.Eligible, quorum.IsMet, votes.Select(LoggedVote.Of).ToList()),
            new
            {
                pollId, outcome = decision.Outcome.ToString(), count = total, paper, decision,
                present = quorum.Present, members = quorum.Eligible, quorumMet = quorum.IsMet, named = votes,
            });
        Assert.Contains("\"decision\":{\"outcome\":3,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ProposalEntriesAreWrittenAsBefore()
    {
        var proposal = new { Id = 4, Title = "关于楼道加装扶手的提案", Version = 2, Status = "Adopted", ReferredToName = (string?)null, CoSponsors = new[] { new { Name = "蒋庆华" }, new { Name = "杨丽华" } } };
        var (proposalId, pollId) = (proposal.Id, 7);
        var item = new { Id = 34, Position = 3 };
        Same(new ProposalOnAgendaEntry(proposalId, proposal.Title, item.Id, item.Position, proposal.Version, proposal.CoSponsors.Select(c => c.Name).ToList()),
            new { proposalId, title = proposal.Title, agendaItemId = item.Id, position = item.Position, version = proposal.Version, coSponsors = proposal.CoSponsors.Select(c => c.Name) });
        Same(new ProposalDecidedEntry(proposalId, proposal.Title, pollId, proposal.Status, proposal.Version),
            new { proposalId, title = proposal.Title, pollId, outcome = proposal.Status, version = proposal.Version });

        foreach (var (outcome, note, referredTo) in new[] { ("Withdrawn", (string?)null, (string?)null), ("Referred", "涉及市政道路", "江川路街道办事处") })
        {
            var left = proposal with { Status = outcome, ReferredToName = referredTo };
            Same(new ProposalLeftAgendaEntry(left.Id, left.Title, left.Status, left.Version, note, left.ReferredToName),
                new { proposalId = left.Id, title = left.Title, pollId = (int?)null, outcome = left.Status, version = left.Version, reason = note, referredTo = left.ReferredToName });
        }
    }

    [Fact]
    public void AmendmentEntriesAreWrittenAsBefore()
    {
        var (amendmentId, pollId) = (9, 5);
        var a = new { Number = 3, OriginalText = "老人上下楼不便。", ProposedText = "高龄老人上下楼不便。", DecisionNote = (string?)"加重居民负担" };
        var p = new { Id = 4 };
        var version = new { Number = 2 };
        Same(new AmendmentAcceptedEntry(amendmentId, a.Number, p.Id, version.Number, a.OriginalText, a.ProposedText),
            new { amendmentId, a.Number, proposalId = p.Id, decision = "accepted", version = version.Number, original = a.OriginalText, proposed = a.ProposedText });
        Same(new AmendmentRejectedEntry(amendmentId, a.Number, p.Id, a.DecisionNote), new { amendmentId, a.Number, proposalId = p.Id, decision = "rejected", reason = a.DecisionNote });
        Same(new AmendmentRejectedEntry(amendmentId, a.Number, p.Id, null), new { amendmentId, a.Number, proposalId = p.Id, decision = "rejected", reason = (string?)null });
        Same(new AmendmentPutToVoteEntry(amendmentId, a.Number, p.Id, pollId), new { amendmentId, a.Number, proposalId = p.Id, decision = "putToVote", pollId });
        foreach (var (status, resultVersion) in new[] { (AmendmentStatus.Adopted, (int?)3), (AmendmentStatus.Defeated, null) })
        {
            var poll = new { Id = pollId };
            Same(new AmendmentVotedEntry(amendmentId, a.Number, p.Id, status.ToString().ToLowerInvariant(), poll.Id, resultVersion),
                new { amendmentId, a.Number, proposalId = p.Id, decision = status.ToString().ToLowerInvariant(), pollId = poll.Id, version = resultVersion });
        }
    }

    [Fact]
    public void SpeakerEntriesAreWrittenAsBefore()
    {
        var member = new LoggedMember(4, "顾蓉");
        var (requestId, agendaItemId, seconds, place) = (2, 32, 60, 1);
        var request = new
        {
            Id = requestId, AgendaItemId = agendaItemId, Mark = SpeakerMark.Contra, StartedAtUtc = (DateTime?)LogEntrySamples.Started,
            EndedAtUtc = (DateTime?)LogEntrySamples.Started.AddSeconds(215), SpokeSeconds = (int?)215, AllowedSeconds = 240, RemovalReason = (string?)null,
        };
        var mark = request.Mark;
        var me = member;
        Same(new SpeakerRequestedEntry(request.Id, agendaItemId, me, mark.ToString()), new { requestId = request.Id, agendaItemId, member = me, mark = mark.ToString() });
        Same(new SpeakerWithdrawnEntry(requestId, request.AgendaItemId, me), new { requestId, request.AgendaItemId, member = me });
        Same(new SpeakerMovedEntry(requestId, request.AgendaItemId, member, SpeakerMovedEntry.Down, place), new { requestId, request.AgendaItemId, member, direction = "down", place });
        Same(new SpeakerRemovedEntry(requestId, request.AgendaItemId, member, request.RemovalReason), new { requestId, request.AgendaItemId, member, reason = request.RemovalReason });
        Same(new SpeakerGrantedEntry(requestId, request.AgendaItemId, member, request.Mark.ToString(), request.StartedAtUtc!.Value, request.AllowedSeconds), new
        {
            requestId, request.AgendaItemId, member, mark = request.Mark.ToString(), startedAtUtc = request.StartedAtUtc, allowedSeconds = request.AllowedSeconds,
        });
        Same(new SpeakerExtendedEntry(requestId, request.AgendaItemId, member, seconds, request.AllowedSeconds), new { requestId, request.AgendaItemId, member, seconds, allowedSeconds = request.AllowedSeconds });
        foreach (var by in new[] { "chair", "agendaMoved", "sessionClosed" })
        {
            Same(new SpeakerEndedEntry(request.Id, request.AgendaItemId, member, request.Mark.ToString(), request.StartedAtUtc!.Value, request.EndedAtUtc!.Value, request.SpokeSeconds!.Value, request.AllowedSeconds, by), new
            {
                requestId = request.Id, request.AgendaItemId, member, mark = request.Mark.ToString(), startedAtUtc = request.StartedAtUtc, endedAtUtc = request.EndedAtUtc,
                seconds = request.SpokeSeconds, allowedSeconds = request.AllowedSeconds, by,
            });
        }
    }

    [Fact]
    public void AKindNoFeatureRegistersReadsAsNothingAndAnUnregisteredRecordIsNotWritten()
    {
        Assert.Null(SessionLogTypes.Deserialize("hearing.opened", "{}"));
        Assert.Throws<InvalidOperationException>(() => SessionLogTypes.Serialize(new StrayEntry(1)));
    }

    [Fact]
    public void AKindWithSeveralShapesReadsEachAsItsOwnRecord()
    {
        Assert.IsType<ProposalDecidedEntry>(SessionLogTypes.Deserialize(ProposalDecidedEntry.Kind, """{"proposalId":4,"title":"t","pollId":7,"outcome":"Adopted","version":3}"""));
        Assert.IsType<ProposalLeftAgendaEntry>(SessionLogTypes.Deserialize(ProposalDecidedEntry.Kind, """{"proposalId":4,"title":"t","pollId":null,"outcome":"Withdrawn","version":1,"reason":null,"referredTo":null}"""));
        Assert.IsType<AmendmentRejectedEntry>(SessionLogTypes.Deserialize(AmendmentDecisions.Kind, """{"amendmentId":1,"number":1,"proposalId":4,"decision":"rejected","reason":null}"""));
        var other = Assert.IsType<AmendmentVotedEntry>(SessionLogTypes.Deserialize(AmendmentDecisions.Kind, """{"amendmentId":1,"number":1,"proposalId":4,"decision":"withdrawn","pollId":0,"version":null}"""));
        Assert.Equal("withdrawn", other.Decision);
    }

    /// <summary>The typed entry's JSON equals the old anonymous object's; returns it.</summary>
    private static string Same(SessionLogEvent typed, object old)
    {
        var json = SessionLogTypes.Serialize(typed);
        Assert.Equal(JsonSerializer.Serialize(old, OldOptions), json);
        return json;
    }

    private static void Same(string expected, SessionLogEvent typed, object old) => Assert.Equal(expected, Same(typed, old));

    private sealed record StrayEntry(int Id) : SessionLogEvent;
}
