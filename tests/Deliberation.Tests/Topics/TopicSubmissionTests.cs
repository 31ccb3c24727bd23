using System.Text.RegularExpressions;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;
using CommunityDeliberation.Deliberation.Topics;

namespace CommunityDeliberation.Tests.Topics;

/// <summary>A resident's topic from the public form and its triage by the secretariat, without a database.</summary>
public sealed partial class TopicSubmissionTests
{
    private const string Secretary = "user-secretary";

    private static readonly DateTime T0 = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private static TopicSubmission Topic(string? contact = "3号楼201室") =>
        TopicSubmission.Submit(1, "希望楼道里装扶手", "老房子楼梯陡,\r\n上下楼不方便。", ProposalCategory.Facilities, "李老伯", contact, "source-key", T0);

    private static Proposal OpenProposal()
    {
        var p = Proposal.Draft(1, "关于楼道加装扶手的提案", "建议加装扶手。", ProposalCategory.Facilities, null, "user-rep", "吴若冰", T0);
        p.Submit("user-rep", T0);
        return p;
    }

    [GeneratedRegex("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$")]
    private static partial Regex TrackingCodeShape();

    [Fact]
    public void ANewTopicIsWaitingForTriageWithNormalisedText()
    {
        var topic = Topic();

        Assert.Equal(TopicStatus.New, topic.Status);
        Assert.Equal("老房子楼梯陡,\n上下楼不方便。", topic.Text);
        Assert.Equal(("3号楼201室", "source-key", T0), (topic.Contact, topic.SourceKey, topic.CreatedAtUtc));
        Assert.Null(topic.TriagedAtUtc);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AContactIsRequired(string? contact)
    {
        Assert.Equal("Topic.Contact.Required", Assert.Throws<DomainException>(() => Topic(contact)).Code);
    }

    [Fact]
    public void TrackingCodesAreTenCharactersWithoutLookAlikes()
    {
        var codes = Enumerable.Range(0, 500).Select(_ => Topic().TrackingCode).ToList();

        Assert.All(codes, c => Assert.Matches(TrackingCodeShape(), c));
        Assert.DoesNotContain(codes, c => c.IndexOfAny(['0', 'O', '1', 'I', 'L']) >= 0);
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ARejectionNeedsAReasonAndLeavesTheTopicUntriagedWithoutOne()
    {
        var topic = Topic();

        Assert.Equal("Topic.Reason.Required", Assert.Throws<DomainException>(() => topic.Reject("  ", Secretary, T0)).Code);
        Assert.Equal(TopicStatus.New, topic.Status);

        topic.Reject("属于物业服务事项,已转物业公司处理。", Secretary, T0.AddHours(1));
        Assert.Equal((TopicStatus.Rejected, "属于物业服务事项,已转物业公司处理。", Secretary, (DateTime?)T0.AddHours(1)), (topic.Status, topic.Reason, topic.TriagedByUserId, topic.TriagedAtUtc));
    }

    [Fact]
    public void ATopicIsTriagedOnlyOnce()
    {
        var topic = Topic();
        var proposal = OpenProposal();
        topic.MergeInto(proposal, Secretary, T0);

        Assert.Equal("Topic.AlreadyTriaged", Assert.Throws<DomainException>(() => topic.Reject("重复", Secretary, T0)).Code);
        Assert.Equal("Topic.AlreadyTriaged", Assert.Throws<DomainException>(() => topic.AcceptAs(proposal, Secretary, T0)).Code);
        Assert.Equal("Topic.AlreadyTriaged", Assert.Throws<DomainException>(() => topic.Refer("街道", "理由", Secretary, T0)).Code);
        Assert.Equal(TopicStatus.Merged, topic.Status);
        Assert.Null(topic.Reason);
    }

    [Fact]
    public void ATopicCannotBeMergedIntoAClosedProposal()
    {
        var topic = Topic();
        var proposal = OpenProposal();
        proposal.Withdraw("user-rep", T0, null);

        Assert.Equal("Topic.MergeTargetClosed", Assert.Throws<DomainException>(() => topic.MergeInto(proposal, Secretary, T0)).Code);
        Assert.Equal(TopicStatus.New, topic.Status);
    }
}
