using CommunityDeliberation.Deliberation.Shared.Authority;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>
/// Who may do what in a "1+X+1" consultation (ADR 0012), from the offices in the term of its session and from the
/// consultation's own blocs: the convener is the presiding office (chair or vice-chair) of the convener body; a bloc's
/// own members file its positions; its spokesperson casts its one vote; the assessor office (第三方评估员) files the
/// assessment. Reading a consultation needs no office; the public reads decided ones without an account.
/// </summary>
public static class ConsultationPermissions
{
    /// <summary>Open the consultation, choose blocs and members, open and close rounds, open and record the decision, enter follow-up items.</summary>
    public static bool MayConvene(Offices offices) => offices.Presides;

    /// <summary>File the third-party assessment.</summary>
    public static bool MayAssess(Offices offices) => offices.IsAssessor;

    /// <summary>File or revise a bloc's position: only the bloc's own members.</summary>
    public static bool MayFileFor(ConsultationBloc bloc, string? userId) => bloc.HasMember(userId);

    /// <summary>Cast a bloc's vote: only its spokesperson.</summary>
    public static bool MayVoteFor(ConsultationBloc bloc, string? userId) => userId is not null && bloc.Spokesperson?.UserId == userId;
}
