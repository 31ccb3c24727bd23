using CommunityDeliberation.Deliberation.Accounts;
using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Consultations;
using CommunityDeliberation.Deliberation.Discussion;
using CommunityDeliberation.Deliberation.Ledger;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Projects;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Speakers;
using CommunityDeliberation.Deliberation.Topics;
using CommunityDeliberation.Deliberation.Voting;
using CommunityDeliberation.Tests.Consultations;
using CommunityDeliberation.Tests.Hearings;
using CommunityDeliberation.Tests.Support;
using static CommunityDeliberation.Tests.Authorization.ActorKind;
using static CommunityDeliberation.Tests.Authorization.MatrixStage;
using static CommunityDeliberation.Tests.Authorization.Refusal;

namespace CommunityDeliberation.Tests.Authorization;

/// <summary>
/// The negative authorization matrix: one row per command of every service that takes an actor (and more rows where a
/// command must also refuse the officers of another body), each naming who may call it and how everyone else is
/// refused. <see cref="AuthorizationMatrixTests"/> tries every row with every <see cref="ActorKind"/>, and fails when a
/// service gains a command without a row here. "This body" is the Jiangchuan council; the other body is the Chengli
/// consultation council, whose chair is <c>convener</c> (<see cref="ActorKind.OtherChair"/>).
/// </summary>
public static class AuthorizationMatrix
{
    /// <summary>The case of a row whose target belongs to the other body, where only its chair (<see cref="ActorKind.OtherChair"/>) may act.</summary>
    private const string Chengli = "Chengli";

    /// <summary>The first representative to play <see cref="ActorKind.Member"/>; each row takes the next one.</summary>
    public const int FirstMemberRep = 7;

    public static readonly IReadOnlyList<MatrixRow> Rows = Numbered(
    [
        // ---- SessionService ------------------------------------------------------------------------------------

        Row.Of("SessionService.ListBodiesForSchedulingAsync")
            .Given(async s => (This: await s.BodyIdAsync(), Other: await s.BodyIdAsync(OfBody.Chengli)))
            .Shows((s, bodies, who) => s.Sessions.ListBodiesForSchedulingAsync(who.OrNull), (seen, options) =>
                Assert.Equal(seen.Kind switch
                {
                    Chair or Secretary => [seen.Target.This],
                    OtherChair => [seen.Target.Other],
                    _ => Array.Empty<int>(),
                }, options.Select(o => o.Id)))
            .Allows(Actors.Everyone),

        Row.Of("SessionService.MayScheduleAnyAsync")
            .Given(_ => Task.FromResult(NoTarget.Value))
            .Shows((s, _, who) => s.Sessions.MayScheduleAnyAsync(who.OrNull), (seen, may) =>
                Assert.Equal(seen.Kind is Chair or Secretary or OtherChair, may))
            .Allows(Actors.Everyone),

        Row.Of("SessionService.ScheduleAsync")
            .Given(s => s.BodyIdAsync())
            .When((s, body, who) => s.Sessions.ScheduleAsync(who.Actor, JiangchuanCouncil.Input("矩阵测试会议", body)))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("SessionService.ScheduleAsync", Chengli)
            .Given(s => s.BodyIdAsync(OfBody.Chengli))
            .When((s, body, who) => s.Sessions.ScheduleAsync(who.Actor, JiangchuanCouncil.Input("矩阵测试协商", body)))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("SessionService.OpenAsync")
            .Given(s => s.DraftSessionAsync())
            .When((s, meeting, who) => s.Sessions.OpenAsync(who.Actor, meeting.SessionId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SessionService.OpenAsync", Chengli)
            .Given(s => s.DraftSessionAsync(OfBody.Chengli))
            .When((s, meeting, who) => s.Sessions.OpenAsync(who.Actor, meeting.SessionId))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SessionService.CloseAsync")
            .Given(s => s.OpenSessionAsync())
            .When((s, meeting, who) => s.Sessions.CloseAsync(who.Actor, meeting.SessionId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SessionService.MoveToAgendaItemAsync")
            .Given(s => s.OpenSessionAsync())
            .When((s, meeting, who) => s.Sessions.MoveToAgendaItemAsync(who.Actor, meeting.SessionId, meeting.SecondItemId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SessionService.CheckInAsync")
            .Given(s => s.OpenSessionAsync())
            .When((s, meeting, who) => s.Sessions.CheckInAsync(who.Actor, meeting.SessionId))
            .Allows(Actors.Member | Actors.Chair | Actors.Secretary).Refuses(Forbidden("CheckIn.NotAMember")),

        Row.Of("SessionService.GetLiveViewAsync")
            .Given(s => s.OpenSessionAsync())
            .Shows((s, meeting, who) => s.Sessions.GetLiveViewAsync(who.Actor, meeting.SessionId), (seen, view) =>
            {
                Assert.Equal(seen.Kind is Chair, view.Viewer.CanChair);
                Assert.Equal(seen.Kind is Chair or Secretary, view.Viewer.CanRecordAttendance);
                Assert.Equal(seen.Kind is Member or Chair or Secretary, view.Viewer.MembershipId is not null);
            })
            .Allows(Actors.Everyone),

        Row.Of("SessionService.GetRosterAsync")
            .Given(s => s.OpenSessionAsync())
            .When((s, meeting, who) => s.Sessions.GetRosterAsync(who.Actor, meeting.SessionId))
            .Query().Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("SessionService.CheckInMembersAsync")
            .Given(async s => (Meeting: await s.OpenSessionAsync(), Seat: await s.DoorSeatAsync(OfBody.Jiangchuan)))
            .When((s, t, who) => s.Sessions.CheckInMembersAsync(who.Actor, t.Meeting.SessionId, [t.Seat]))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("SessionService.CheckInMembersAsync", Chengli)
            .Given(async s => (Meeting: await s.OpenSessionAsync(OfBody.Chengli), Seat: await s.DoorSeatAsync(OfBody.Chengli)))
            .When((s, t, who) => s.Sessions.CheckInMembersAsync(who.Actor, t.Meeting.SessionId, [t.Seat]))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("SessionService.DelegateAsync")
            .Given(async s => (Meeting: await s.DraftSessionAsync(), Holder: await s.SeatAsync(s.Rep(HolderA))))
            .When((s, t, who) => s.Sessions.DelegateAsync(who.Actor, t.Meeting.SessionId, t.Holder))
            .Allows(Actors.Voters).Refuses(Forbidden("Ballot.NotEligible")),

        Row.Of("SessionService.RevokeDelegationAsync")
            .Given(s => s.DelegatedAsync())
            .When((s, meeting, who) => s.Sessions.RevokeDelegationAsync(who.Actor, meeting.SessionId))
            .Allows(Actors.Voters).Refuses(Forbidden("Ballot.NotEligible")),

        Row.Of("SessionService.ProxyCandidatesAsync")
            .Given(s => s.DraftSessionAsync())
            .When((s, meeting, who) => s.Sessions.ProxyCandidatesAsync(who.Actor, meeting.SessionId))
            .Query().Allows(Actors.Voters).Refuses(Forbidden("Ballot.NotEligible")),

        // ---- VotingService -------------------------------------------------------------------------------------

        Row.Of("VotingService.CreatePollAsync")
            .Given(s => s.OpenSessionAsync())
            .When((s, meeting, who) => s.Voting.CreatePollAsync(who.Actor, meeting.SessionId, JiangchuanCouncil.Motion(meeting.FirstItemId)))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.OpenPollAsync(pollId)")
            .Given(s => s.DraftPollAsync())
            .When((s, vote, who) => s.Voting.OpenPollAsync(who.Actor, vote.PollId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.OpenPollAsync(agendaItemId)")
            .Given(s => s.QuorateSessionAsync())
            .When((s, meeting, who) => s.Voting.OpenPollAsync(who.Actor, meeting.SessionId, meeting.FirstItemId, JiangchuanCouncil.Question))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.OpenNewPollAsync")
            .Given(s => s.QuorateSessionAsync())
            .When((s, meeting, who) => s.Voting.OpenNewPollAsync(who.Actor, meeting.SessionId, JiangchuanCouncil.Motion(meeting.FirstItemId), null))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.CastAsync(choice)")
            .Given(s => s.OpenPollAsync(s.Member, s.Chair))
            .When((s, vote, who) => s.Voting.CastAsync(who.Actor, vote.PollId, BallotChoice.Yes))
            .Allows(Actors.Voters).Refuses(Forbidden("Ballot.NotEligible")),

        Row.Of("VotingService.CastAsync(selections)")
            .Given(s => s.OpenPollAsync(s.Member, s.Chair))
            .When((s, vote, who) => s.Voting.CastAsync(who.Actor, vote.PollId, [1], $"matrix-{who.Kind}"))
            .Allows(Actors.Voters).Refuses(Forbidden("Ballot.NotEligible")),

        Row.Of("VotingService.RecordPaperCountAsync")
            .Given(s => s.OpenPollAsync())
            .When((s, vote, who) => s.Voting.RecordPaperCountAsync(who.Actor, vote.PollId, 1, [1, 0, 0]))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.RecordPaperCountAsync", Chengli)
            .Given(s => s.OpenPollAsync(OfBody.Chengli))
            .When((s, vote, who) => s.Voting.RecordPaperCountAsync(who.Actor, vote.PollId, 1, [1, 0, 0]))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.ClosePollAsync")
            .Given(s => s.OpenPollAsync())
            .When((s, vote, who) => s.Voting.ClosePollAsync(who.Actor, vote.PollId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.ClosePollAsync", Chengli)
            .Given(s => s.OpenPollAsync(OfBody.Chengli))
            .When((s, vote, who) => s.Voting.ClosePollAsync(who.Actor, vote.PollId))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.PublishAsync")
            .Given(s => s.ClosedPollAsync())
            .When((s, vote, who) => s.Voting.PublishAsync(who.Actor, vote.PollId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("VotingService.AnnulAsync")
            .Given(s => s.ClosedPollAsync())
            .When((s, vote, who) => s.Voting.AnnulAsync(who.Actor, vote.PollId, "计票有误"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        // ---- SpeakerService ------------------------------------------------------------------------------------

        Row.Of("SpeakerService.RequestAsync")
            .Given(s => s.OpenSessionAsync(s.Member, s.Chair, s.Secretary))
            .When((s, meeting, who) => s.Speakers.RequestAsync(who.Actor, meeting.SessionId, meeting.FirstItemId, SpeakerMark.Pro))
            .Allows(Actors.Member | Actors.Chair | Actors.Secretary).Refuses(Domain("Speaker.NotAParticipant")),

        Row.Of("SpeakerService.WithdrawAsync")
            .Given(s => s.WaitingRequestAsync())
            .When((s, request, who) => s.Speakers.WithdrawAsync(who.Actor, request.RequestId))
            .Allows(Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("SpeakerService.MoveAsync")
            .Given(s => s.WaitingRequestAsync())
            .When((s, request, who) => s.Speakers.MoveAsync(who.Actor, request.RequestId, -1))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SpeakerService.RemoveAsync")
            .Given(s => s.WaitingRequestAsync())
            .When((s, request, who) => s.Speakers.RemoveAsync(who.Actor, request.RequestId, "与议题无关"))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SpeakerService.GrantAsync")
            .Given(s => s.WaitingRequestAsync())
            .When((s, request, who) => s.Speakers.GrantAsync(who.Actor, request.RequestId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SpeakerService.ExtendAsync")
            .Given(s => s.SpeakingRequestAsync())
            .When((s, request, who) => s.Speakers.ExtendAsync(who.Actor, request.RequestId, 60))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("SpeakerService.EndTurnAsync")
            .Given(s => s.SpeakingRequestAsync())
            .When((s, request, who) => s.Speakers.EndTurnAsync(who.Actor, request.RequestId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        // ---- ProposalService -----------------------------------------------------------------------------------

        Row.Of("ProposalService.BodiesForSubmissionAsync")
            .Given(async s => (This: await s.BodyIdAsync(), Other: await s.BodyIdAsync(OfBody.Chengli)))
            .Shows((s, bodies, who) => s.Proposals.BodiesForSubmissionAsync(who.Actor), (seen, choices) =>
                Assert.Equal(seen.Kind switch
                {
                    Member or Chair => [seen.Target.This],
                    OtherMember or OtherChair => [seen.Target.Other],
                    _ => Array.Empty<int>(),
                }, choices.Select(c => c.Id)))
            .Allows(Actors.Everyone),

        Row.Of("ProposalService.ListAsync")
            .Given(async s => (Body: await s.BodyIdAsync(), Draft: await s.DraftAsync(s.Member)))
            .Shows((s, t, who) => s.Proposals.ListAsync(who.OrNull, t.Body, ProposalStatus.Draft), (seen, list) =>
                Assert.Equal(seen.Kind is Member, list.Any(p => p.Id == seen.Target.Draft)))
            .Allows(Actors.Everyone),

        Row.Of("ProposalService.CreateAsync")
            .Given(s => s.BodyIdAsync())
            .When((s, body, who) => s.Proposals.CreateAsync(who.Actor, new ProposalInput(body, "关于楼道加装扶手的提案", Text, ProposalCategory.Facilities, null)))
            .Allows(Actors.Voters).Refuses(Forbidden("Proposal.NotAMember")),

        Row.Of("ProposalService.EditAsync")
            .Given(s => s.DraftAsync(s.Member))
            .When((s, id, who) => s.Proposals.EditAsync(who.Actor, id, "关于楼道加装扶手的提案(修改稿)", Text, 1))
            .Allows(Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("ProposalService.SubmitAsync")
            .Given(s => s.DraftAsync(s.Member))
            .When((s, id, who) => s.Proposals.SubmitAsync(who.Actor, id))
            .Allows(Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("ProposalService.WithdrawAsync")
            .Given(s => s.SubmittedAsync(s.Member))
            .When((s, id, who) => s.Proposals.WithdrawAsync(who.Actor, id, "情况已有变化"))
            .Allows(Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("ProposalService.CoSponsorAsync")
            .Given(s => s.SubmittedAsync())
            .When((s, id, who) => s.Proposals.CoSponsorAsync(who.Actor, id))
            .Allows(Actors.Voters).Refuses(Forbidden("Proposal.NotAMember")),

        Row.Of("ProposalService.CoSponsorAsync", "a draft")
            .Given(s => s.DraftAsync(s.Member))
            .When((s, id, who) => s.Proposals.CoSponsorAsync(who.Actor, id))
            .Allows(Actors.Member).ToleratesStateErrors("Proposal.CoSponsorClosed").Refuses(NotFound),

        Row.Of("ProposalService.WithdrawCoSponsorshipAsync")
            .Given(async s =>
            {
                var id = await s.SubmittedAsync();
                await s.Proposals.CoSponsorAsync(s.Member, id);
                await s.Proposals.CoSponsorAsync(s.Chair, id);
                return id;
            })
            .When((s, id, who) => s.Proposals.WithdrawCoSponsorshipAsync(who.Actor, id))
            .Allows(Actors.Voters).Refuses(Domain("Proposal.NotCoSponsored")),

        Row.Of("ProposalService.AgendaSessionsAsync")
            .Given(async s => (Proposal: await s.SubmittedAsync(), Meeting: await s.DraftSessionAsync()))
            .Shows((s, t, who) => s.Proposals.AgendaSessionsAsync(who.Actor, t.Proposal), (seen, sessions) =>
                Assert.Equal(seen.Kind is Chair, sessions.Any(c => c.SessionId == seen.Target.Meeting.SessionId)))
            .Allows(Actors.Everyone),

        Row.Of("ProposalService.PlaceOnAgendaAsync")
            .Given(async s => (Proposal: await s.CoSponsoredAsync(), Meeting: await s.DraftSessionAsync()))
            .When((s, t, who) => s.Proposals.PlaceOnAgendaAsync(who.Actor, t.Proposal, t.Meeting.SessionId, 20))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ProposalService.RecordDecisionAsync")
            .Given(s => s.DecidableAsync())
            .When((s, t, who) => s.Proposals.RecordDecisionAsync(who.Actor, t.Deliberation.ProposalId, t.PollId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ProposalService.ReferAsync")
            .Given(s => s.SubmittedAsync())
            .When((s, id, who) => s.Proposals.ReferAsync(who.Actor, id, null, "江川路街道", "超出议事会职权"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProposalService.ReferAsync", Chengli)
            .Given(s => s.SubmittedAsync(OfBody.Chengli))
            .When((s, id, who) => s.Proposals.ReferAsync(who.Actor, id, null, "城市管理部门", "超出协商会职权"))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProposalService.GetAsync")
            .Given(async s =>
            {
                var id = await s.SubmittedAsync();
                await s.DraftSessionAsync();
                return id;
            })
            .Shows((s, id, who) => s.Proposals.GetAsync(who.Actor, id), (seen, detail) =>
                Assert.Equal(seen.Kind switch
                {
                    Member => ["CanAmend", "CanCoSponsor"],
                    Chair => ["CanAmend", "CanCoSponsor", "CanPlaceOnAgenda", "CanPreside", "CanRefer"],
                    Secretary => ["CanRefer"],
                    _ => Array.Empty<string>(),
                }, FlagsSet(detail.Can)))
            .Allows(Actors.Everyone),

        Row.Of("ProposalService.GetAsync", "a draft")
            .Given(s => s.DraftAsync(s.Member))
            .Shows((s, id, who) => s.Proposals.GetAsync(who.Actor, id), (seen, detail) =>
                Assert.Equal(["CanEdit", "CanSubmit", "CanWithdraw"], FlagsSet(detail.Can)))
            .Allows(Actors.Member).Refuses(NotFound),

        Row.Of("ProposalService.CompareAsync")
            .Given(s => s.DraftAsync(s.Member))
            .When((s, id, who) => s.Proposals.CompareAsync(who.Actor, id, 1, 1))
            .Query().Allows(Actors.Member).Refuses(NotFound),

        Row.Of("AmendmentService.ProposeAmendmentAsync")
            .Given(s => s.SubmittedAsync())
            .When((s, id, who) => s.Amendments.ProposeAmendmentAsync(who.Actor, id, 0, "部分楼道没有扶手。", null))
            .Allows(Actors.Voters).Refuses(Forbidden("Proposal.NotAMember")),

        Row.Of("AmendmentService.WithdrawAmendmentAsync")
            .Given(s => s.AmendmentAsync(s.Member))
            .When((s, t, who) => s.Amendments.WithdrawAmendmentAsync(who.Actor, t.AmendmentId))
            .Allows(Actors.Member).Refuses(Domain("Amendment.NotAuthor")),

        Row.Of("AmendmentService.AcceptAmendmentAsync")
            .Given(s => s.AmendmentAsync(s.Rep(SponsorA)))
            .When((s, t, who) => s.Amendments.AcceptAmendmentAsync(who.Actor, t.AmendmentId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("AmendmentService.AcceptAmendmentAsync", Chengli)
            .Given(s => s.AmendmentAsync(s.Convener, OfBody.Chengli))
            .When((s, t, who) => s.Amendments.AcceptAmendmentAsync(who.Actor, t.AmendmentId))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Presides")),

        Row.Of("AmendmentService.RejectAmendmentAsync")
            .Given(s => s.AmendmentAsync(s.Rep(SponsorA)))
            .When((s, t, who) => s.Amendments.RejectAmendmentAsync(who.Actor, t.AmendmentId, "不予采纳"))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("AmendmentService.RejectAmendmentAsync", Chengli)
            .Given(s => s.AmendmentAsync(s.Convener, OfBody.Chengli))
            .When((s, t, who) => s.Amendments.RejectAmendmentAsync(who.Actor, t.AmendmentId, "不予采纳"))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Presides")),

        Row.Of("AmendmentService.PutAmendmentToVoteAsync")
            .Given(s => s.AmendmentUnderDeliberationAsync())
            .When((s, t, who) => s.Amendments.PutAmendmentToVoteAsync(who.Actor, t.AmendmentId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("AmendmentService.RecordAmendmentVoteAsync")
            .Given(async s =>
            {
                var (_, amendmentId) = await s.AmendmentUnderDeliberationAsync();
                var pollId = await s.Amendments.PutAmendmentToVoteAsync(s.Chair, amendmentId);
                await s.Voting.CastAsync(s.Rep(SponsorB), pollId, BallotChoice.Yes);
                await s.Voting.ClosePollAsync(s.Chair, pollId);
                return amendmentId;
            })
            .When((s, amendmentId, who) => s.Amendments.RecordAmendmentVoteAsync(who.Actor, amendmentId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        // ---- CommentService ------------------------------------------------------------------------------------

        Row.Of("CommentService.GetDiscussionAsync", "of a draft")
            .Given(s => s.DraftAsync(s.Member))
            .When((s, id, who) => s.Comments.GetDiscussionAsync(who.Actor, id))
            .Query().Allows(Actors.Member).Refuses(NotFound),

        Row.Of("CommentService.GetPageAsync")
            .Given(s => s.HiddenCommentAsync())
            .Shows((s, t, who) => s.Comments.GetPageAsync(who.Actor, t.ProposalId), (seen, page) =>
            {
                var moderator = seen.Kind is Chair or Secretary;
                var hidden = Assert.Single(page.Threads);
                Assert.Equal(moderator, page.IsModerator);
                Assert.Equal(moderator, hidden.IsVisible);
                Assert.Equal(moderator ? 1 : (int?)null, hidden.ReportCount);
            })
            .Allows(Actors.Everyone),

        Row.Of("CommentService.GetCommentAsync")
            .Given(async s =>
            {
                var discussed = await s.CommentAsync(s.Rep(Author));
                await s.Comments.ReportAsync(s.Rep(SponsorA), discussed.CommentId, "离题");
                return discussed;
            })
            .Shows((s, t, who) => s.Comments.GetCommentAsync(who.Actor, t.CommentId), (seen, update) =>
                Assert.Equal(seen.Kind is Chair or Secretary ? 1 : (int?)null, update.Comment.ReportCount))
            .Allows(Actors.Everyone),

        Row.Of("CommentService.PostAsync")
            .Given(s => s.SubmittedAsync())
            .When((s, id, who) => s.Comments.PostAsync(who.Actor, id, null, CommentStance.Support, "赞成。"))
            .Allows(Actors.Accounts).Refuses(Forbidden("NotAllowed")),

        Row.Of("CommentService.ReplyAsync")
            .Given(s => s.CommentAsync(s.Rep(Author)))
            .When((s, t, who) => s.Comments.ReplyAsync(who.Actor, t.ProposalId, null, t.CommentId, CommentStance.Oppose, "不同意。"))
            .Allows(Actors.Accounts).Refuses(Forbidden("NotAllowed")),

        Row.Of("CommentService.EditAsync")
            .Given(s => s.CommentAsync(s.Member))
            .When((s, t, who) => s.Comments.EditAsync(who.Actor, t.CommentId, CommentStance.Neutral, "再想想,先听听大家的意见。"))
            .Allows(Actors.Member).Refuses(Domain("Comment.NotAuthor")),

        Row.Of("CommentService.HideAsync")
            .Given(s => s.CommentAsync(s.Rep(Author)))
            .When((s, t, who) => s.Comments.HideAsync(who.Actor, t.CommentId, "人身攻击"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("CommentService.HideAsync", Chengli)
            .Given(s => s.CommentAsync(s.Stakeholder, OfBody.Chengli))
            .When((s, t, who) => s.Comments.HideAsync(who.Actor, t.CommentId, "人身攻击"))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("CommentService.UnhideAsync")
            .Given(s => s.HiddenCommentAsync())
            .When((s, t, who) => s.Comments.UnhideAsync(who.Actor, t.CommentId))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("CommentService.ReportAsync")
            .Given(s => s.CommentAsync(s.Rep(Author)))
            .When((s, t, who) => s.Comments.ReportAsync(who.Actor, t.CommentId, "离题"))
            .Allows(Actors.Accounts).Refuses(Forbidden("NotAllowed")),

        // ---- TopicService --------------------------------------------------------------------------------------

        Row.Of("TopicService.MayTriageAnyAsync")
            .Given(_ => Task.FromResult(NoTarget.Value))
            .Shows((s, _, who) => s.Topics.MayTriageAnyAsync(who.OrNull), (seen, may) =>
                Assert.Equal(seen.Kind is Chair or Secretary or OtherChair, may))
            .Allows(Actors.Everyone),

        Row.Of("TopicService.ListAsync")
            .Given(async s => (This: await s.TopicAsync(), Other: await s.TopicAsync(OfBody.Chengli)))
            .Shows((s, t, who) => s.Topics.ListAsync(who.Actor, TopicStatus.New), (seen, topics) =>
            {
                var (own, foreign) = seen.Kind is OtherChair ? (seen.Target.Other, seen.Target.This) : (seen.Target.This, seen.Target.Other);
                Assert.Equal("138-0000-1234", Assert.Single(topics, t => t.Id == own).Contact);
                Assert.DoesNotContain(topics, t => t.Id == foreign);
                Assert.Single(topics.Select(t => t.BodyId).Distinct());
            })
            .Allows(Actors.Secretariat | Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.AcceptAsync")
            .Given(s => s.TopicAsync())
            .When((s, id, who) => s.Topics.AcceptAsync(who.Actor, id))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.AcceptAsync", Chengli)
            .Given(s => s.TopicAsync(OfBody.Chengli))
            .When((s, id, who) => s.Topics.AcceptAsync(who.Actor, id))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.MergeAsync")
            .Given(async s => (Topic: await s.TopicAsync(), Proposal: await s.SubmittedAsync()))
            .When((s, t, who) => s.Topics.MergeAsync(who.Actor, t.Topic, t.Proposal))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.MergeAsync", Chengli)
            .Given(async s => (Topic: await s.TopicAsync(OfBody.Chengli), Proposal: await s.SubmittedAsync(OfBody.Chengli)))
            .When((s, t, who) => s.Topics.MergeAsync(who.Actor, t.Topic, t.Proposal))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.RejectAsync")
            .Given(s => s.TopicAsync())
            .When((s, id, who) => s.Topics.RejectAsync(who.Actor, id, "不属于议事范围"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.RejectAsync", Chengli)
            .Given(s => s.TopicAsync(OfBody.Chengli))
            .When((s, id, who) => s.Topics.RejectAsync(who.Actor, id, "不属于协商范围"))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.ReferAsync")
            .Given(s => s.TopicAsync())
            .When((s, id, who) => s.Topics.ReferAsync(who.Actor, id, "江川路街道", "由街道统筹处理"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("TopicService.ReferAsync", Chengli)
            .Given(s => s.TopicAsync(OfBody.Chengli))
            .When((s, id, who) => s.Topics.ReferAsync(who.Actor, id, "城市管理部门", "由城管处理"))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        // ---- LedgerService -------------------------------------------------------------------------------------

        Row.Of("LedgerService.RecordAsync")
            .Given(s => s.BodyIdAsync())
            .When((s, body, who) => s.Ledger.RecordAsync(who.Actor, body, new LedgerItemInput(
                "矩阵台账事项", null, LedgerOwnerKind.Office, "居委会", null, null, new DateOnly(2026, 12, 31))))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("LedgerService.RecordAsync", Chengli)
            .Given(s => s.BodyIdAsync(OfBody.Chengli))
            .When((s, body, who) => s.Ledger.RecordAsync(who.Actor, body, new LedgerItemInput(
                "矩阵台账事项", null, LedgerOwnerKind.MemberUnit, "物业公司", null, "清华园小区", new DateOnly(2026, 12, 31))))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("LedgerService.ReportProgressAsync")
            .Given(s => s.LedgerItemAsync(owner: s.Member))
            .When((s, id, who) => s.Ledger.ReportProgressAsync(who.Actor, id, "材料已到"))
            .Allows(Actors.Secretariat | Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("LedgerService.MarkDoneAsync")
            .Given(s => s.LedgerItemAsync(status: LedgerStatus.InProgress, owner: s.Member))
            .When((s, id, who) => s.Ledger.MarkDoneAsync(who.Actor, id, "已完工"))
            .Allows(Actors.Secretariat | Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("LedgerService.CloseOutAsync")
            .Given(s => s.LedgerItemAsync(status: LedgerStatus.Done, owner: s.Member))
            .When((s, id, who) => s.Ledger.CloseOutAsync(who.Actor, id, "居民代表验收合格", "https://example.org/photo/1"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Ledger.NotByOwner")),

        Row.Of("LedgerService.ReopenAsync")
            .Given(s => s.LedgerItemAsync(status: LedgerStatus.Done))
            .When((s, id, who) => s.Ledger.ReopenAsync(who.Actor, id, "居民反映仍漏水"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("LedgerService.EscalateAsync", Chengli)
            .Given(async s => (Item: await s.LedgerItemAsync(OfBody.Chengli), To: await s.BodyIdAsync()))
            .When((s, t, who) => s.Ledger.EscalateAsync(who.Actor, t.Item, t.To, "需要街道协调"))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("LedgerService.AnswerAsync")
            .Given(s => s.LedgerItemAsync(OfBody.Chengli, escalatedTo: OfBody.Jiangchuan))
            .When((s, id, who) => s.Ledger.AnswerAsync(who.Actor, id, "街道已协调专项资金"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("LedgerService.WorkAsync")
            .Given(s => s.LedgerItemAsync(owner: s.Member))
            .Shows((s, id, who) => s.Ledger.WorkAsync(who.Actor), (seen, items) =>
                Assert.Equal(seen.Kind is Chair or Secretary or Member, items.Any(i => i.Id == seen.Target)))
            .Allows(Actors.Everyone),

        Row.Of("LedgerService.DashboardAsync")
            .Given(s => s.BodyIdAsync())
            .Shows((s, body, who) => s.Ledger.DashboardAsync(who.Actor), (seen, boards) =>
                Assert.Equal(seen.Kind is Chair or Secretary, boards.Any(b => b.BodyId == seen.Target)))
            .Allows(Actors.Everyone),

        // ---- NoticeService, LedgerFollowService (Notifications) ---------------------------------------------------

        Row.Of("NoticeService.ListMineAsync")
            .Given(s => s.NoticeAsync())
            .Shows((s, id, who) => s.Notices.ListMineAsync(who.Actor), (seen, page) =>
                Assert.Equal(seen.Kind is Member, page.Notices.Any(n => n.Id == seen.Target)))
            .Allows(Actors.Everyone),

        Row.Of("NoticeService.UnreadCountAsync")
            .Given(s => s.NoticeAsync())
            .Shows((s, id, who) => s.Notices.UnreadCountAsync(who.Actor), (seen, unread) =>
                Assert.Equal(seen.Kind is Member, unread > 0))
            .Allows(Actors.Everyone),

        Row.Of("NoticeService.MarkReadAsync")
            .Given(s => s.NoticeAsync())
            .When((s, id, who) => s.Notices.MarkReadAsync(who.Actor, id))
            .Allows(Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("NoticeService.MarkAllReadAsync")
            .Given(s => s.NoticeAsync())
            .When((s, id, who) => s.Notices.MarkAllReadAsync(who.Actor))
            .Allows(Actors.Everyone),

        Row.Of("LedgerFollowService.FollowAsync")
            .Given(s => s.LedgerItemAsync())
            .When((s, id, who) => s.Follows.FollowAsync(who.Actor, id))
            .Allows(Actors.Accounts).Refuses(Forbidden("NotAllowed")),

        Row.Of("LedgerFollowService.UnfollowAsync")
            .Given(s => s.FollowedLedgerItemAsync())
            .When((s, id, who) => s.Follows.UnfollowAsync(who.Actor, id))
            .Allows(Actors.Accounts).Refuses(Forbidden("NotAllowed")),

        Row.Of("LedgerFollowService.IsFollowingAsync")
            .Given(s => s.FollowedLedgerItemAsync())
            .Shows((s, id, who) => s.Follows.IsFollowingAsync(who.OrNull, id), (seen, following) =>
                Assert.Equal(seen.Kind is Member, following))
            .Allows(Actors.Everyone),

        Row.Of("LedgerService.ReassignAsync")
            .Given(s => s.LedgerItemAsync())
            .When((s, id, who) => s.Ledger.ReassignAsync(who.Actor, id, LedgerOwnerKind.MemberUnit, "物业公司", null, new DateOnly(2027, 3, 31), "1号楼"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        // ---- ProjectService ------------------------------------------------------------------------------------

        Row.Of("ProjectService.PublishAsync")
            .Given(s => s.BodyIdAsync())
            .When((s, body, who) => s.Projects.PublishAsync(who.Actor, body, new ProjectInput("矩阵项目", null, ProjectCategory.Outreach, 2)))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProjectService.PublishAsync", Chengli)
            .Given(s => s.BodyIdAsync(OfBody.Chengli))
            .When((s, body, who) => s.Projects.PublishAsync(who.Actor, body, new ProjectInput("矩阵项目", null, ProjectCategory.Care, 1)))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProjectService.ClaimAsync")
            .Given(s => s.ProjectAsync())
            .When((s, p, who) => s.Projects.ClaimAsync(who.Actor, p.ProjectId, p.UnitId, "派志愿者"))
            .Allows(Actors.Member).Refuses(Forbidden("Project.NotForUnit")),

        Row.Of("ProjectService.ConfirmAsync")
            .Given(s => s.ProjectAsync(claim: true))
            .When((s, p, who) => s.Projects.ConfirmAsync(who.Actor, p.ClaimId))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProjectService.DeclineAsync")
            .Given(s => s.ProjectAsync(claim: true))
            .When((s, p, who) => s.Projects.DeclineAsync(who.Actor, p.ClaimId, "需要医疗资质"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProjectService.WithdrawAsync")
            .Given(s => s.ProjectAsync(confirmed: true))
            .When((s, p, who) => s.Projects.WithdrawAsync(who.Actor, p.ClaimId, "人手不足"))
            .Allows(Actors.Member).Refuses(Forbidden("Project.NotForUnit")),

        Row.Of("ProjectService.ReportProgressAsync")
            .Given(s => s.ProjectAsync(confirmed: true))
            .When((s, p, who) => s.Projects.ReportProgressAsync(who.Actor, p.ProjectId, p.UnitId, "已开展一次义诊"))
            .Allows(Actors.Member).Refuses(Forbidden("Project.NotForUnit")),

        Row.Of("ProjectService.FinishAsync")
            .Given(s => s.ProjectAsync(confirmed: true))
            .When((s, p, who) => s.Projects.FinishAsync(who.Actor, p.ProjectId, "全年义诊12次"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("ProjectService.DeskAsync")
            .Given(s => s.ProjectAsync(claim: true))
            .Shows((s, p, who) => s.Projects.DeskAsync(who.Actor), (seen, desk) =>
            {
                Assert.Equal(seen.Kind is Chair or Secretary, desk.AwaitingDecision.Any(x => x.Id == seen.Target.ProjectId));
                Assert.Equal(seen.Kind is Member, desk.UnitProjects.Any(x => x.Id == seen.Target.ProjectId));
            })
            .Allows(Actors.Everyone),

        // ---- MinutesService ------------------------------------------------------------------------------------

        Row.Of("MinutesService.GenerateAsync")
            .Given(s => s.ClosedSessionAsync(OfBody.Jiangchuan, s.Member))
            .When((s, meeting, who) => s.Minutes.GenerateAsync(who.Actor, meeting.SessionId))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.GetAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Draft))
            .Shows((s, record, who) => s.Minutes.GetAsync(who.Actor, record.MinutesId), (seen, view) =>
                Assert.Equal(seen.Kind switch
                {
                    Chair => ["CanApprove", "CanEdit"],
                    Secretary => ["CanEdit"],
                    _ => Array.Empty<string>(),
                }, FlagsSet(view)))
            .Allows(Actors.Secretariat | Actors.Member).Refuses(Forbidden("NotAllowed")),

        Row.Of("MinutesService.SaveAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Draft))
            .When((s, record, who) => s.Minutes.SaveAsync(who.Actor, record.MinutesId, "# 会议纪要\n\n修订稿。"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.CirculateAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Draft))
            .When((s, record, who) => s.Minutes.CirculateAsync(who.Actor, record.MinutesId))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.ResolveCorrectionAsync")
            .Given(async s =>
            {
                var record = await s.MinutesAsync(MinutesStatus.Circulated);
                return (record.MinutesId, Correction: await s.CorrectionIdAsync(record.MinutesId));
            })
            .When((s, t, who) => s.Minutes.ResolveCorrectionAsync(who.Actor, t.MinutesId, t.Correction, true, "已更正"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.StartCorrectionAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Published))
            .When((s, record, who) => s.Minutes.StartCorrectionAsync(who.Actor, record.MinutesId, "更正笔误"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.ApproveAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Draft))
            .When((s, record, who) => s.Minutes.ApproveAsync(who.Actor, record.MinutesId))
            .Allows(Actors.Chair).Refuses(Forbidden("Minutes.OnlyChairApproves")),

        Row.Of("MinutesService.PublishAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Approved))
            .When((s, record, who) => s.Minutes.PublishAsync(who.Actor, record.MinutesId))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.PublishAsync", Chengli)
            .Given(s => s.MinutesAsync(MinutesStatus.Approved, OfBody.Chengli))
            .When((s, record, who) => s.Minutes.PublishAsync(who.Actor, record.MinutesId))
            .Allows(Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("MinutesService.RequestCorrectionAsync")
            .Given(s => s.MinutesAsync(MinutesStatus.Circulated))
            .When((s, record, who) => s.Minutes.RequestCorrectionAsync(who.Actor, record.MinutesId, "出席人数记录有误。"))
            .Allows(Actors.Member).Refuses(Forbidden("Minutes.OnlyAttendees")),

        // ---- BodyAdminService ----------------------------------------------------------------------------------

        Row.Of("BodyAdminService.ListBodiesAsync")
            .When((s, who) => s.Bodies.ListBodiesAsync(who.Actor))
            .Query().Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.GetBodyAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.GetBodyAsync(who.Actor, body.BodyId))
            .Query().Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.CreateBodyAsync")
            .When((s, who) => s.Bodies.CreateBodyAsync(who.Actor, new BodyInput(NewKey("matrix"), "矩阵测试议事会", "Matrix test council", BodyKind.Council)))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.AddSubBodyAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.AddSubBodyAsync(who.Actor, body.BodyId, new BodyInput(NewKey("matrix-sub"), "专业委员会", "Committee", BodyKind.ConsultationCouncil)))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.RenameBodyAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.RenameBodyAsync(who.Actor, body.BodyId, "改名议事会", "Renamed council"))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.SetRulesAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.SetRulesAsync(who.Actor, body.BodyId, new BodyRulesInput(2, 3, 60, 2)))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.AddTermAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.AddTermAsync(who.Actor, body.BodyId, new TermInput(2, "第二届", "2nd term", new DateOnly(2029, 1, 1), null)))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.GetTermAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.GetTermAsync(who.Actor, body.TermId))
            .Query().Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.ListOrganisationsAsync")
            .When((s, who) => s.Bodies.ListOrganisationsAsync(who.Actor))
            .Query().Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.AddMemberAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.AddMemberAsync(who.Actor, body.TermId, new MemberInput("新成员", MemberRole.Member, null, null)))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.EditMemberAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.EditMemberAsync(who.Actor, body.SeatId, new MemberInput("改名成员", MemberRole.Member, null, null)))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.EndSeatAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.EndSeatAsync(who.Actor, body.SeatId, "离任"))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.ReinstateAsync")
            .Given(s => s.FreshBodyAsync(seatEnded: true))
            .When((s, body, who) => s.Bodies.ReinstateAsync(who.Actor, body.SeatId))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.RemoveMemberAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.RemoveMemberAsync(who.Actor, body.SeatId))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        Row.Of("BodyAdminService.ImportMembersAsync")
            .Given(s => s.FreshBodyAsync())
            .When((s, body, who) => s.Bodies.ImportMembersAsync(who.Actor, body.TermId, Csv("name,role\n导入成员,成员\n"), apply: true))
            .Allows(Actors.Admin).Refuses(Domain("Body.AdminOnly")),

        // ---- AccountService ------------------------------------------------------------------------------------

        Row.Of("AccountService.ChangePasswordAsync")
            .When((s, who) => s.Accounts.ChangePasswordAsync(who.Actor, "not-the-password", "Matrix#Passwort2026"))
            .Allows(Actors.Accounts).Refuses(Forbidden("NotAllowed")),

        Row.Of("AccountService.IssueResetLinkAsync")
            .When((s, who) => s.Accounts.IssueResetLinkAsync(who.Actor, s.Rep(HolderB).UserId))
            .Allows(Actors.Admin | Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("AccountService.ListAccountsAsync")
            .When((s, who) => s.Accounts.ListAccountsAsync(who.Actor, null, 1))
            .Query().Allows(Actors.Admin | Actors.Secretariat | Actors.OtherChair).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("AccountService.ListOpenSeatsAsync")
            .When((s, who) => s.Accounts.ListOpenSeatsAsync(who.Actor))
            .Query().Allows(Actors.Admin).Refuses(Forbidden("AdminOnly")),

        Row.Of("AccountService.CreateAccountAsync")
            .When((s, who) => s.Accounts.CreateAccountAsync(who.Actor, new NewAccountInput(NewKey("matrix"), "矩阵账号", null, null)))
            .Allows(Actors.Admin).Refuses(Forbidden("AdminOnly")),

        Row.Of("AccountService.ImportAccountsAsync")
            .When((s, who) => s.Accounts.ImportAccountsAsync(who.Actor, Csv($"user,display_name\n{NewKey("matrix-csv")},导入账号\n"), apply: true))
            .Allows(Actors.Admin).Refuses(Forbidden("AdminOnly")),

        Row.Of("AccountService.SetDisabledAsync")
            .Given(s => s.FreshAccountAsync())
            .When((s, account, who) => s.Accounts.SetDisabledAsync(who.Actor, account, disabled: true))
            .Allows(Actors.Admin).Refuses(Forbidden("AdminOnly")),

        Row.Of("AccountService.SetAdminAsync")
            .Given(s => s.FreshAccountAsync())
            .When((s, account, who) => s.Accounts.SetAdminAsync(who.Actor, account, admin: true))
            .Allows(Actors.Admin).Refuses(Forbidden("AdminOnly")),

        Row.Of("AccountService.ListAuditAsync")
            .When((s, who) => s.Accounts.ListAuditAsync(who.Actor, null, 1))
            .Query().Allows(Actors.Admin).Refuses(Forbidden("AdminOnly")),
        // ---- ConsultationService (convener: the presiding office of the session's term; blocs file and vote for themselves) ----

        Row.Of("ConsultationService.CreateAsync")
            .Given(async s => await s.Consultations.SessionAsync(s.Chair, await s.BodyIdAsync()))
            .When((s, session, who) => s.Consultations.Consultations.CreateAsync(who.Actor, session, new ConsultationInput("矩阵协商", "议题", true)))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.AddBlocAsync")
            .Given(s => s.Consultations.JiangchuanAsync())
            .When((s, id, who) => s.Consultations.Consultations.AddBlocAsync(who.Actor, id, "OwnersCommittee", "业主委员会"))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.AddMemberAsync")
            .Given(s => s.Consultations.JiangchuanWithBlocsAsync(s.Rep(MatrixStage.HolderB)))
            .When((s, c, who) => s.Consultations.Consultations.AddMemberAsync(who.Actor, c.Residents, null, "居民代表(无账号)", false))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.RemoveMemberAsync")
            .Given(async s =>
            {
                var c = await s.Consultations.JiangchuanWithBlocsAsync(s.Rep(MatrixStage.HolderB));
                return (c.Owners, Member: (await s.Consultations.Queries.FindAsync(c.Id))!.Blocs.Single(b => b.Id == c.Owners).Members.Single(m => !m.IsSpokesperson).Id);
            })
            .When((s, t, who) => s.Consultations.Consultations.RemoveMemberAsync(who.Actor, t.Owners, t.Member))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.FilePositionAsync")
            .Given(s => s.Consultations.JiangchuanWithBlocsAsync(s.Member))
            .When((s, c, who) => s.Consultations.Consultations.FilePositionAsync(who.Actor, c.Property, Stance.Support, "物业支持施划停车位。"))
            .Allows(Actors.Member).Refuses(Forbidden("Consultation.OwnBlocOnly")),

        Row.Of("ConsultationService.OpenRoundAsync")
            .Given(s => s.Consultations.JiangchuanWithBlocsAsync(s.Rep(MatrixStage.HolderB)))
            .When((s, c, who) => s.Consultations.Consultations.OpenRoundAsync(who.Actor, c.Id))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.CloseRoundAsync")
            .Given(async s =>
            {
                var c = await s.Consultations.JiangchuanWithBlocsAsync(s.Rep(MatrixStage.HolderB));
                await s.Consultations.Consultations.OpenRoundAsync(s.Chair, c.Id);
                return c.Id;
            })
            .When((s, id, who) => s.Consultations.Consultations.CloseRoundAsync(who.Actor, id))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        // Jiangchuan has no assessor office: everyone here is refused (the assessor files in ConsultationServiceTests).
        Row.Of("ConsultationService.FileAssessmentAsync")
            .Given(s => s.Consultations.JiangchuanAsync())
            .When((s, id, who) => s.Consultations.Consultations.FileAssessmentAsync(who.Actor, id, ConsultationDesk.Assessment()))
            .Refuses(Forbidden("Office.Assessor")),

        Row.Of("ConsultationService.OpenDecisionAsync")
            .Given(async s =>
            {
                var c = await s.Consultations.JiangchuanWithBlocsAsync(s.Rep(MatrixStage.HolderB));
                await s.Consultations.Consultations.OpenRoundAsync(s.Chair, c.Id);
                await s.Consultations.Consultations.CloseRoundAsync(s.Chair, c.Id);
                return c.Id;
            })
            .When((s, id, who) => s.Consultations.Consultations.OpenDecisionAsync(who.Actor, id, DecisionMethod.BlocVote))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.CastVoteAsync")
            .Given(s => s.Consultations.JiangchuanDecidingAsync(s.Member, DecisionMethod.BlocVote))
            .When((s, c, who) => s.Consultations.Consultations.CastVoteAsync(who.Actor, c.Id, BlocChoice.For, null))
            .Allows(Actors.Member).Refuses(Forbidden("Consultation.SpokespersonOnly")),

        Row.Of("ConsultationService.CloseVoteAsync")
            .Given(async s =>
            {
                var c = await s.Consultations.JiangchuanDecidingAsync(s.Rep(MatrixStage.HolderB), DecisionMethod.BlocVote);
                await s.Consultations.Consultations.CastVoteAsync(s.Rep(MatrixStage.HolderB), c.Id, BlocChoice.For, null);
                await s.Consultations.Consultations.CastVoteAsync(s.Rep(141), c.Id, BlocChoice.For, null);
                return c.Id;
            })
            .When((s, id, who) => s.Consultations.Consultations.CloseVoteAsync(who.Actor, id, "施划停车位。", [ConsultationDesk.FollowUp("施划停车位")]))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.RecordConsensusAsync")
            .Given(s => s.Consultations.JiangchuanDecidingAsync(s.Rep(MatrixStage.HolderB), DecisionMethod.Consensus))
            .When((s, c, who) => s.Consultations.Consultations.RecordConsensusAsync(who.Actor, c.Id, "施划停车位。", [(c.Owners, "保留意见")], [ConsultationDesk.FollowUp("施划停车位")]))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("ConsultationService.GetAsync")
            .Given(s => s.Consultations.JiangchuanWithBlocsAsync(s.Member))
            .Shows((s, c, who) => s.Consultations.Consultations.GetAsync(who.OrNull, c.Id), (seen, view) =>
            {
                Assert.Equal(seen.Kind == Chair, view!.Viewer.MayConvene);
                Assert.False(view.Viewer.MayAssess);
                Assert.Equal(seen.Kind == Member, view.Viewer.VotesForBlocId == seen.Target.Property);
            })
            .Allows(Actors.Everyone),

        Row.Of("ConsultationService.ConvenableSessionsAsync")
            .Given(async s => await s.Consultations.SessionAsync(s.Chair, await s.BodyIdAsync()))
            .Shows((s, session, who) => s.Consultations.Consultations.ConvenableSessionsAsync(who.OrNull), (seen, sessions) =>
                Assert.Equal(seen.Kind == Chair, sessions.Any(x => x.SessionId == seen.Target)))
            .Allows(Actors.Everyone),

        // ---- HearingService (secretariat: chair and secretary of the session's term; moderator: the chair) -------

        Row.Of("HearingService.ListSessionsAsync")
            .Given(s => s.Hearings.SessionAsync())
            .Shows((s, session, who) => s.Hearings.Hearings.ListSessionsAsync(who.OrNull), (seen, options) =>
                Assert.Equal(seen.Kind is Chair or Secretary, options.Any(o => o.SessionId == seen.Target)))
            .Allows(Actors.Everyone),

        Row.Of("HearingService.CreateAsync")
            .Given(s => s.Hearings.SessionAsync())
            .When((s, session, who) => s.Hearings.Hearings.CreateAsync(who.Actor, session, HearingDesk.Notice()))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.EditNoticeAsync")
            .Given(s => s.Hearings.DraftAsync())
            .When((s, id, who) => s.Hearings.Hearings.EditNoticeAsync(who.Actor, id, HearingDesk.Notice(residentSeats: 5)))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.PublishNoticeAsync")
            .Given(s => s.Hearings.DraftAsync())
            .When((s, id, who) => s.Hearings.Hearings.PublishNoticeAsync(who.Actor, id))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.OpenRegistrationAsync")
            .Given(s => s.Hearings.PublishedAsync())
            .When((s, id, who) => s.Hearings.Hearings.OpenRegistrationAsync(who.Actor, id))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.CloseRegistrationAsync")
            .Given(s => s.Hearings.OpenAsync())
            .When((s, id, who) => s.Hearings.Hearings.CloseRegistrationAsync(who.Actor, id))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.DecideAsync")
            .Given(s => s.Hearings.ClosedAsync())
            .When((s, h, who) => s.Hearings.Hearings.DecideAsync(who.Actor, h.Registrations[0], RegistrationStatus.Selected, null))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.DrawAsync")
            .Given(s => s.Hearings.OversubscribedAsync())
            .When((s, id, who) => s.Hearings.Hearings.DrawAsync(who.Actor, id, ParticipantCategory.Resident))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.GetManagementAsync")
            .Given(s => s.Hearings.ClosedAsync())
            .Shows((s, h, who) => s.Hearings.Hearings.GetManagementAsync(who.Actor, h.HearingId), (seen, view) =>
            {
                Assert.Equal(3, view.Registrations.Count);
                Assert.All(view.Registrations, r => Assert.StartsWith("139", r.Contact, StringComparison.Ordinal));
                Assert.Equal(seen.Kind == Chair, view.MayModerate);
            })
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.CheckInAsync")
            .Given(s => s.Hearings.SelectedAsync())
            .When((s, h, who) => s.Hearings.Hearings.CheckInAsync(who.Actor, h.Registrations[0]))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.GivePanelQuestionAsync")
            .Given(s => s.Hearings.LiveAsync())
            .When((s, h, who) => s.Hearings.Hearings.GivePanelQuestionAsync(who.Actor, h.Registrations[0], "专家 陈工"))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.MarkAbsentAsync")
            .Given(s => s.Hearings.LiveAsync(present: 2))
            .When((s, h, who) => s.Hearings.Hearings.MarkAbsentAsync(who.Actor, h.Registrations[2]))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.GoLiveAsync")
            .Given(s => s.Hearings.SelectedAsync())
            .When((s, h, who) => s.Hearings.Hearings.GoLiveAsync(who.Actor, h.HearingId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.GiveFloorAsync")
            .Given(s => s.Hearings.LiveAsync())
            .When((s, h, who) => s.Hearings.Hearings.GiveFloorAsync(who.Actor, h.Registrations[0]))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.ExtendAsync")
            .Given(s => s.Hearings.SpeakingAsync())
            .When((s, h, who) => s.Hearings.Hearings.ExtendAsync(who.Actor, h.HearingId, 60))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.EndSpeechAsync")
            .Given(s => s.Hearings.SpeakingAsync())
            .When((s, h, who) => s.Hearings.Hearings.EndSpeechAsync(who.Actor, h.HearingId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.SkipAsync")
            .Given(s => s.Hearings.LiveAsync())
            .When((s, h, who) => s.Hearings.Hearings.SkipAsync(who.Actor, h.Registrations[2]))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.OpenCommentsAsync")
            .Given(s => s.Hearings.LiveAsync())
            .When((s, h, who) => s.Hearings.Hearings.OpenCommentsAsync(who.Actor, h.HearingId))
            .Allows(Actors.Chair).Refuses(Forbidden("Office.Presides")),

        Row.Of("HearingService.SummarizeAsync")
            .Given(s => s.Hearings.SpokenAsync())
            .When((s, spoken, who) => s.Hearings.Hearings.SummarizeAsync(who.Actor, spoken.SpeechId, "支持改造。"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.HideCommentAsync")
            .Given(s => s.Hearings.CommentedAsync())
            .When((s, commentId, who) => s.Hearings.Hearings.HideCommentAsync(who.Actor, commentId, "离题"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.RaiseIssueAsync")
            .Given(s => s.Hearings.SpokenAsync())
            .When((s, spoken, who) => s.Hearings.Hearings.RaiseIssueAsync(who.Actor, spoken.Hearing.HearingId, "过渡安置补贴", [spoken.SpeechId], []))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.RespondAsync")
            .Given(s => s.Hearings.DraftedAsync())
            .When((s, drafted, who) => s.Hearings.Hearings.RespondAsync(who.Actor, drafted.IssueId, "按规定执行。"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.DraftReportAsync")
            .Given(s => s.Hearings.CommentsOpenAsync())
            .When((s, id, who) => s.Hearings.Hearings.DraftReportAsync(who.Actor, id))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),

        Row.Of("HearingService.PublishFeedbackAsync")
            .Given(s => s.Hearings.ReportPublishedAsync())
            .When((s, id, who) => s.Hearings.Hearings.PublishFeedbackAsync(who.Actor, id, "党工委采纳了意见。"))
            .Allows(Actors.Secretariat).Refuses(Forbidden("Office.Secretariat")),
    ]);

    public static MatrixRow Find(string name) => Rows.Single(r => r.Name == name);

    /// <summary>The names of the boolean flags that are set, in name order (the "Can…" flags of a view).</summary>
    private static string[] FlagsSet(object flags) =>
        flags.GetType().GetProperties().Where(p => p.PropertyType == typeof(bool) && p.Name.StartsWith("Can", StringComparison.Ordinal) && (bool)p.GetValue(flags)!)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Gives each row its own representative as <see cref="ActorKind.Member"/>, below those the setups use. Members from
    /// rep075 up may be among those the chair checks in to make up a quorum; no row needs its member absent.
    /// </summary>
    /// <summary>
    /// Rows on one seeded database: each plays Member with a representative of its own, from rep007 up to those the
    /// setups use (<see cref="MatrixStage.Author"/>). Further rows go on a sheet of their own, on another database.
    /// </summary>
    public const int RowsPerSheet = MatrixStage.Author - FirstMemberRep;

    private static IReadOnlyList<MatrixRow> Numbered(MatrixRow[] rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].MemberRep = FirstMemberRep + (i % RowsPerSheet);
            rows[i].Sheet = i / RowsPerSheet;
        }

        return rows;
    }
}
