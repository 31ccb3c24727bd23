using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using CommunityDeliberation.Deliberation.Sessions;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Minutes;

/// <summary>
/// Typed entries with values that test the format: Chinese and markup characters, nulls written and left out, a time
/// with ticks below the millisecond, empty lists.
/// </summary>
internal static class LogEntrySamples
{
    public static readonly DateTime Started = new DateTime(2026, 3, 8, 6, 9, 0, 123, DateTimeKind.Utc).AddTicks(4567);

    public static readonly LoggedMember Wu = new(3, "吴若冰");

    public static readonly LoggedMember Gu = new(4, "顾蓉 <\"引号\"> & \\");

    /// <summary>At least one of every registered record, more where a record has optional parts.</summary>
    public static IReadOnlyList<SessionLogEvent> All { get; } =
    [
        new SessionOpenedEntry(),
        new SessionClosedEntry(),
        new AgendaMovedEntry(11, 1, "审议沪闵路沿线旧住房改造方案 *第一稿*"),
        new CheckedInEntry([Wu], CheckedInEntry.BySelf),
        new CheckedInEntry([Wu, Gu], CheckedInEntry.BySecretary),
        new ProxyGivenEntry(Gu, Wu),
        new ProxyRevokedEntry(Gu),
        new ProxyRevokedEntry(Gu, ProxyRevokedEntry.SeatEnded),
        new PollOpenedEntry(7, 11, "是否同意?", "YesNoAbstain", "Named", new LoggedRule("Simple", "VotesCast", false, 1, 2), ["Yes", "No", "Abstain"], 1, 1, 0, 76, null),
        new PollOpenedEntry(8, 12, "增补委员", "Election", "Secret", new LoggedRule("Custom", "AllMembers", true, 3, 5), ["张建国", "李秀英"], 0, 1, 1, 76, Started),
        new PaperCountedEntry(7, 2, 0, [1, 1, 0]),
        new PollClosedEntry(
            7, "Adopted", new LoggedCount([3, 1, 1], 5, 0), new LoggedCount([1, 0, 0], 1, 0),
            new LoggedDecision(PollOutcome.Adopted, 4, 3, [0], [], [0, 1, 2]), 76, 151, true,
            [new LoggedVote("吴若冰", [0], false), new LoggedVote("顾蓉", [], true)]),
        new PollClosedEntry(
            8, "Tie", new LoggedCount([2, 2], 4, 1), new LoggedCount([0, 0], 0, 0),
            new LoggedDecision(PollOutcome.Tie, 4, 1, [], [0, 1], [0, 1]), 76, 151, true, []),
        new PollPublishedEntry(7),
        new AnnulmentRequestedEntry(8, "计票时发现重复发放选票", "Chair"),
        new PollAnnulledEntry(8, "计票时发现重复发放选票", "Secretary"),
        new ProposalOnAgendaEntry(4, "关于楼道加装扶手的提案", 34, 3, 1, ["蒋庆华", "杨丽华"]),
        new ProposalOnAgendaEntry(5, "无附议的提案", 35, 4, 2, []),
        new ProposalDecidedEntry(4, "关于楼道加装扶手的提案", 7, "Adopted", 3),
        new ProposalLeftAgendaEntry(5, "关于楼道加装扶手的提案", "Withdrawn", 1, null, null),
        new ProposalLeftAgendaEntry(6, "关于楼道加装扶手的提案", "Referred", 1, "涉及市政道路", "江川路街道办事处"),
        new AmendmentAcceptedEntry(1, 1, 4, 2, "老人上下楼不便。", "高龄老人上下楼不便。"),
        new AmendmentRejectedEntry(2, 2, 4, "加重居民负担"),
        new AmendmentRejectedEntry(3, 3, 4, null),
        new AmendmentPutToVoteEntry(4, 4, 4, 5),
        new AmendmentVotedEntry(4, 4, 4, AmendmentDecisions.Defeated, 5, null),
        new AmendmentVotedEntry(5, 5, 4, AmendmentDecisions.Adopted, 6, 3),
        new SpeakerRequestedEntry(1, 32, Wu, "Pro"),
        new SpeakerWithdrawnEntry(3, 32, Gu),
        new SpeakerMovedEntry(2, 32, Gu, SpeakerMovedEntry.Up, 1),
        new SpeakerRemovedEntry(4, 32, Wu, "与本议题无关。"),
        new SpeakerRemovedEntry(5, 32, Gu, null),
        new SpeakerGrantedEntry(2, 32, Gu, "Contra", Started, 180),
        new SpeakerExtendedEntry(2, 32, Gu, 60, 240),
        new SpeakerEndedEntry(2, 32, Gu, "Contra", Started, Started.AddSeconds(215), 215, 240, SpeakerEndedEntry.ByChair),
        new HearingStepEntry(3, "NoticePublished", null),
        new HearingStepEntry(3, "FeedbackPublished", "党工委采纳了 *延长补贴* 的意见。"),
        new HearingRegisteredEntry(3, 21, "Resident", "Support", true),
        new HearingDecidedEntry(3, 21, "王阿姨 <b>", "Resident", "Support", "NotSelected", "名额已满"),
        new HearingDrawnEntry(3, "Resident", "6A09E667", [11, 12, 15], 2, [15, 11, 12]),
        new HearingFloorEntry(3, 5, 21, "王阿姨", "Resident", "Support", Started, 180),
        new HearingExtendedEntry(3, 5, 60, 240),
        new HearingSpokeEntry(3, 5, 21, "王阿姨", "Resident", "Support", Started, Started.AddSeconds(200), 200, 240, false),
        new HearingSummarizedEntry(3, 5, null),
        new HearingCommentedEntry(3, 8, "李师傅", "Stakeholder", "Oppose", "请**不要**夜间施工"),
        new HearingCommentHiddenEntry(3, 8, "离题"),
        new HearingIssueEntry(3, 2, 1, "过渡安置补贴", [5], []),
        new HearingResponseEntry(3, 2, "补贴延长至回迁入住。"),
        new HearingCheckedInEntry(3, 21, "王阿姨 <b>", "Resident", "Support", Started),
        new HearingAbsentEntry(3, 6, 22, "李师傅", "Stakeholder", "Oppose", Started),
        new HearingQuestionEntry(3, 7, "专家 陈工 *", 21, "王阿姨", Started, 180),
        new ConsultationOpenedEntry(4, "清华园小区暖气管道修缮", "管道**老化**", true, "Topic", 12),
        new ConsultationRoundEntry(4, 1, true, [new LoggedBloc(7, "PropertyCompany", "物业公司", "刘玉峰", ["刘玉峰", "张三"])]),
        new ConsultationRoundEntry(4, 1, false, []),
        new ConsultationPositionEntry(4, 7, "物业公司", 2, 1, "Conditional", "费用由维修资金列支 | 另议", "刘玉峰"),
        new ConsultationAssessedEntry(4, "孟祥东", "可行", "合法", "38 万元", "停暖", "实施"),
        new ConsultationDecidingEntry(4, "BlocVote"),
        new ConsultationVotedEntry(4, 7, "物业公司", "刘玉峰", "Against", null),
        new ConsultationDecidedEntry(4, "BlocVote", true, "更换管道。", [new LoggedParticipant("物业公司", "刘玉峰", "Against")], [new LoggedDissent("物业公司", "费用")],
            [new LoggedFollowUp(9, "更换管道", "物业公司", new DateOnly(2026, 10, 31), "清华园小区")]),
    ];
}
