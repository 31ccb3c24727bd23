using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Consultations;

internal sealed class ConsultationConfiguration : IEntityTypeConfiguration<Consultation>
{
    public void Configure(EntityTypeBuilder<Consultation> b)
    {
        b.Property(x => x.Title).HasMaxLength(Consultation.TitleMax);
        b.Property(x => x.TopicMarkdown).HasMaxLength(Consultation.TextMax);
        b.Property(x => x.DecisionMarkdown).HasMaxLength(Consultation.DecisionMax);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Session>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.SessionId).IsUnique();
        b.HasIndex(x => new { x.BodyId, x.Stage });
        b.HasMany(x => x.Blocs).WithOne().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Blocs).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ConsultationBlocConfiguration : IEntityTypeConfiguration<ConsultationBloc>
{
    public void Configure(EntityTypeBuilder<ConsultationBloc> b)
    {
        b.ToTable("ConsultationBlocs");
        b.Property(x => x.Kind).HasMaxLength(ConsultationBloc.KindMax);
        b.Property(x => x.Name).HasMaxLength(ConsultationBloc.NameMax);
        b.HasIndex(x => new { x.ConsultationId, x.Name }).IsUnique();
        b.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.BlocId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(x => x.Positions).WithOne().HasForeignKey(x => x.BlocId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Positions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(x => x.Spokesperson);
        b.Ignore(x => x.Current);
    }
}

internal sealed class BlocMemberConfiguration : IEntityTypeConfiguration<BlocMember>
{
    public void Configure(EntityTypeBuilder<BlocMember> b)
    {
        b.ToTable("ConsultationBlocMembers");
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Name).HasMaxLength(ConsultationBloc.NameMax);
        b.HasIndex(x => new { x.BlocId, x.UserId });

        // Exactly one spokesperson per bloc: the domain keeps one, the database refuses a second.
        b.HasIndex(x => x.BlocId).IsUnique().HasFilter("\"IsSpokesperson\" = TRUE").HasDatabaseName("IX_ConsultationBlocMembers_OneSpokesperson");
    }
}

internal sealed class BlocPositionConfiguration : IEntityTypeConfiguration<BlocPosition>
{
    public void Configure(EntityTypeBuilder<BlocPosition> b)
    {
        b.ToTable("ConsultationPositions");
        b.Property(x => x.Markdown).HasMaxLength(BlocPosition.TextMax);
        b.Property(x => x.ByUserId).HasMaxLength(450);
        b.HasIndex(x => new { x.BlocId, x.Number }).IsUnique();
    }
}

internal sealed class BlocVoteConfiguration : IEntityTypeConfiguration<BlocVote>
{
    public void Configure(EntityTypeBuilder<BlocVote> b)
    {
        b.ToTable("ConsultationVotes");
        b.Property(x => x.Note).HasMaxLength(BlocVote.NoteMax);
        b.Property(x => x.CastByUserId).HasMaxLength(450);
        b.Property(x => x.CastByName).HasMaxLength(ConsultationBloc.NameMax);
        b.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ConsultationBloc>().WithMany().HasForeignKey(x => x.BlocId).OnDelete(DeleteBehavior.Restrict);

        // One vote per bloc: this index, not a check in code, refuses a second (also two at once).
        b.HasIndex(x => new { x.ConsultationId, x.BlocId }).IsUnique();
    }
}

internal sealed class BlocDissentConfiguration : IEntityTypeConfiguration<BlocDissent>
{
    public void Configure(EntityTypeBuilder<BlocDissent> b)
    {
        b.ToTable("ConsultationDissents");
        b.Property(x => x.Note).HasMaxLength(BlocVote.NoteMax);
        b.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ConsultationBloc>().WithMany().HasForeignKey(x => x.BlocId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ConsultationId, x.BlocId }).IsUnique();
    }
}

internal sealed class ConsultationAssessmentConfiguration : IEntityTypeConfiguration<ConsultationAssessment>
{
    public void Configure(EntityTypeBuilder<ConsultationAssessment> b)
    {
        b.ToTable("ConsultationAssessments");
        foreach (var part in new[] { nameof(ConsultationAssessment.Feasibility), nameof(ConsultationAssessment.Legality), nameof(ConsultationAssessment.Cost),
                     nameof(ConsultationAssessment.Risks), nameof(ConsultationAssessment.Recommendation) })
        {
            b.Property(part).HasMaxLength(ConsultationAssessment.PartMax);
        }

        b.Property(x => x.AssessorUserId).HasMaxLength(450);
        b.Property(x => x.AssessorName).HasMaxLength(ConsultationBloc.NameMax);
        b.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.ConsultationId).IsUnique();
    }
}
