namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>
/// The steps of a public hearing (听证会), in the only order they may be taken: each step is one method of
/// <see cref="Hearing"/>, refused out of order.
/// </summary>
public enum HearingStage
{
    Draft,
    NoticePublished,
    RegistrationOpen,

    /// <summary>Registration closed; the secretariat selects participants (and draws where a category is oversubscribed).</summary>
    RegistrationClosed,
    Live,
    CommentsOpen,
    ReportDrafted,
    ReportPublished,
    FeedbackPublished,
}

/// <summary>Who a participant is: the categories a hearing gives seats to (configurable per hearing).</summary>
public enum ParticipantCategory
{
    /// <summary>居民</summary>
    Resident,

    /// <summary>利益相关方</summary>
    Stakeholder,

    /// <summary>专家</summary>
    Expert,

    /// <summary>代表</summary>
    Representative,

    /// <summary>驻区单位</summary>
    ResidentUnit,
}

/// <summary>The position a registrant states: 支持 / 反对 / 其他.</summary>
public enum HearingPosition
{
    Support,
    Oppose,
    Other,
}

public enum RegistrationStatus
{
    Registered,
    Selected,
    NotSelected,
    WaitingList,
}

/// <summary>Seats of one category at a hearing.</summary>
public sealed record HearingSeats(ParticipantCategory Category, int Seats);
