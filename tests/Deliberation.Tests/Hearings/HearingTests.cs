using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>The hearing aggregate without a database: the order of its steps, its input checks, selection and the report's gate.</summary>
public sealed class HearingTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 2, 0, 0, DateTimeKind.Utc);

    private static HearingNotice Notice(int residents = 2) => new(
        "沪闵路沿线旧住房改造项目听证会", "背景", "江川社区党工委会议室", Now.AddDays(8), Now.AddDays(7),
        [new HearingSeats(ParticipantCategory.Resident, residents), new HearingSeats(ParticipantCategory.Expert, 1)], 100, 180);

    private static Hearing Draft() => Hearing.Create(1, 1, 1, Notice(), Now);

    private static Hearing Open()
    {
        var hearing = Draft();
        hearing.PublishNotice(Now);
        hearing.OpenRegistration(Now);
        return hearing;
    }

    private static RegistrationInput Person(ParticipantCategory category = ParticipantCategory.Resident, string? testimony = null) =>
        new("王阿姨", category, "12 号 3 单元", "13900000000", HearingPosition.Support, testimony);

    private static string Code(Action action) => Assert.Throws<DomainException>(action).Code;

    [Fact]
    public void EveryStepIsRefusedOutOfOrderAndNamesTheStageItNeeds()
    {
        var hearing = Draft();

        Assert.Equal("Hearing.WrongStage", Code(() => hearing.OpenRegistration(Now)));
        Assert.Equal("Hearing.WrongStage", Code(hearing.CloseRegistration));
        Assert.Equal("Hearing.WrongStage", Code(() => hearing.GoLive(3)));
        Assert.Equal("Hearing.WrongStage", Code(hearing.OpenComments));
        Assert.Equal("Hearing.WrongStage", Code(() => hearing.DraftReport("r")));
        Assert.Equal("Hearing.WrongStage", Code(() => hearing.PublishReport("r", Now)));
        Assert.Equal("Hearing.WrongStage", Code(() => hearing.PublishFeedback("f", Now)));
        var refusal = Assert.Throws<DomainException>(() => hearing.CloseRegistration());
        Assert.Equal(nameof(HearingStage.RegistrationOpen), refusal.Arguments[0]);
        Assert.Equal(HearingStage.Draft, hearing.Stage);
    }

    [Fact]
    public void AHearingGoesThroughEveryStageInOrder()
    {
        var hearing = Open();
        Assert.Equal(HearingStage.RegistrationOpen, hearing.Stage);
        Assert.Equal("Hearing.WrongStage", Code(() => hearing.PublishNotice(Now)));
        hearing.CloseRegistration();
        Assert.Equal("Hearing.NoneSelected", Code(() => hearing.GoLive(0)));
        hearing.GoLive(2);
        hearing.OpenComments();
        hearing.RaiseIssue("补贴", [1], []);
        hearing.DraftReport("草稿");
        hearing.Respond(hearing.Issues[0], "按规定执行。");
        hearing.PublishReport("报告", Now);
        hearing.PublishFeedback("党工委采纳了延长补贴的意见。", Now);

        Assert.Equal(HearingStage.FeedbackPublished, hearing.Stage);
        Assert.Equal("Hearing.WrongStage", Code(() => hearing.PublishFeedback("again", Now)));
    }

    [Fact]
    public void TheReportIsNotPublishedWhileAnyIssueHasNoResponseAndTheRefusalNamesThem()
    {
        var hearing = Open();
        hearing.CloseRegistration();
        hearing.GoLive(1);
        hearing.RaiseIssue("过渡安置补贴", [1], []);
        hearing.RaiseIssue("施工噪声", [], [2]);
        hearing.RaiseIssue("停车", [3], [4]);
        hearing.Respond(hearing.Issues[1], "夜间不施工。");
        hearing.OpenComments();
        hearing.DraftReport("草稿");

        var refusal = Assert.Throws<DomainException>(() => hearing.PublishReport("报告", Now));

        Assert.Equal("Hearing.IssuesWithoutResponse", refusal.Code);
        Assert.Equal("过渡安置补贴、停车", refusal.Arguments[0]);
        Assert.Equal(HearingStage.ReportDrafted, hearing.Stage);
        Assert.Equal(["过渡安置补贴", "停车"], hearing.IssuesWithoutResponse.Select(i => i.Title));
    }

    [Fact]
    public void AReportWithoutAnyIssueIsNotPublished()
    {
        var hearing = Open();
        hearing.CloseRegistration();
        hearing.GoLive(1);
        hearing.OpenComments();
        hearing.DraftReport("草稿");

        Assert.Equal("Hearing.NoIssues", Code(() => hearing.PublishReport("报告", Now)));
    }

    [Fact]
    public void RegistrationIsRefusedBeforeItOpensAfterTheDeadlineAndForACategoryWithoutSeats()
    {
        var draft = Draft();
        Assert.Equal("Hearing.RegistrationNotOpen", Code(() => draft.Register(Person(), "k", Now)));

        var open = Open();
        Assert.Equal("Hearing.DeadlinePassed", Code(() => open.Register(Person(), "k", Now.AddDays(7).AddSeconds(1))));
        Assert.Equal("Hearing.UnknownCategory", Code(() => open.Register(Person(ParticipantCategory.ResidentUnit), "k", Now)));
        Assert.Equal("Hearing.UnknownCategory", Code(() => open.Register(Person((ParticipantCategory)42), "k", Now)));
        Assert.Equal("Hearing.UnknownPosition", Code(() => open.Register(Person() with { Position = (HearingPosition)9 }, "k", Now)));
    }

    [Fact]
    public void TestimonyOverTheHearingsLimitIsRefusedWithTheLimitAndTheLength()
    {
        var open = Open();

        var refusal = Assert.Throws<DomainException>(() => open.Register(Person(testimony: new string('字', 101)), "k", Now));

        Assert.Equal("Hearing.Testimony.TooLong", refusal.Code);
        Assert.Equal([100, 101], refusal.Arguments);
        Assert.Equal(100, open.Register(Person(testimony: new string('字', 100)), "k", Now).Testimony!.Length);
    }

    [Theory]
    [InlineData("王\u0000阿姨")]
    [InlineData("王阿姨\n<script>")]
    [InlineData("")]
    public void NamesWithControlCharactersOrEmptyAreRefused(string name)
    {
        var open = Open();
        Assert.StartsWith("Hearing.Name.", Code(() => open.Register(Person() with { Name = name }, "k", Now)));
    }

    [Fact]
    public void TheNoticeNeedsSeatsAKnownCategoryAndADeadlineBeforeTheStart()
    {
        Assert.Equal("Hearing.NoSeats", Code(() => Hearing.Create(1, 1, 1, Notice() with { Seats = [] }, Now)));
        Assert.Equal("Hearing.UnknownCategory", Code(() => Hearing.Create(1, 1, 1, Notice() with { Seats = [new((ParticipantCategory)7, 2)] }, Now)));
        Assert.Equal("Hearing.DuplicateCategory", Code(() => Hearing.Create(1, 1, 1, Notice() with
        {
            Seats = [new(ParticipantCategory.Expert, 2), new(ParticipantCategory.Expert, 1)],
        }, Now)));
        Assert.Equal("Hearing.DeadlineAfterStart", Code(() => Hearing.Create(1, 1, 1, Notice() with { RegistrationDeadlineUtc = Now.AddDays(9) }, Now)));
        Assert.Equal("Hearing.TestimonyLimitOutOfRange", Code(() => Hearing.Create(1, 1, 1, Notice() with { TestimonyLimit = HearingLimits.TestimonyMax + 1 }, Now)));
    }

    [Fact]
    public void SelectionStopsAtTheCategorysSeatsAndOnlyASelectedParticipantGetsTheFloor()
    {
        var hearing = Open();
        var a = hearing.Register(Person(), "a", Now);
        var b = hearing.Register(Person(), "b", Now);
        var c = hearing.Register(Person(), "c", Now);
        hearing.CloseRegistration();

        hearing.Select(a, 0);
        hearing.Select(b, 1);
        Assert.Equal("Hearing.SeatsFull", Code(() => hearing.Select(c, 2)));
        hearing.Decline(c, "名额已满,欢迎提交书面意见");
        hearing.GoLive(2);

        Assert.Equal("Hearing.SpeakerNotSelected", Code(() => hearing.GiveFloor(c, Now)));
        Assert.Equal(RegistrationStatus.NotSelected, c.Status);
        Assert.Equal("名额已满,欢迎提交书面意见", c.Reason);
    }

    [Fact]
    public void DeclineNeedsAReason()
    {
        var hearing = Open();
        var a = hearing.Register(Person(), "a", Now);
        hearing.CloseRegistration();
        Assert.Equal("Hearing.Reason.Required", Code(() => hearing.Decline(a, " ")));
        Assert.Equal(RegistrationStatus.Registered, a.Status);
    }

    [Fact]
    public void TheDrawIsRefusedWhereACategoryIsNotOversubscribed()
    {
        var hearing = Open();
        var a = hearing.Register(Person(), "a", Now);
        hearing.CloseRegistration();
        Assert.Equal("Hearing.NotOversubscribed", Code(() => hearing.Draw(ParticipantCategory.Resident, [a], FairDraw.NewSeed())));
    }
}
