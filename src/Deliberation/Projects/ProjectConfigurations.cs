using CommunityDeliberation.Deliberation.Bodies;
using CommunityDeliberation.Deliberation.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityDeliberation.Deliberation.Projects;

internal sealed class ServiceProjectConfiguration : IEntityTypeConfiguration<ServiceProject>
{
    public void Configure(EntityTypeBuilder<ServiceProject> b)
    {
        b.ToTable("ServiceProjects");
        b.Property(x => x.Title).HasMaxLength(ServiceProject.TitleMax);
        b.Property(x => x.Description).HasMaxLength(ServiceProject.DescriptionMax);
        b.Property(x => x.FinishReport).HasMaxLength(ServiceProject.ReportMax);
        b.Property(x => x.CreatedByUserId).HasMaxLength(450);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LedgerItem>().WithMany().HasForeignKey(x => x.LedgerItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Claims).WithOne().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Reports).WithOne().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Claims).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(x => x.Reports).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasIndex(x => new { x.BodyId, x.Category, x.Id });
    }
}

internal sealed class ProjectClaimConfiguration : IEntityTypeConfiguration<ProjectClaim>
{
    public void Configure(EntityTypeBuilder<ProjectClaim> b)
    {
        b.ToTable("ProjectClaims");
        b.Property(x => x.Note).HasMaxLength(ServiceProject.NoteMax);
        b.Property(x => x.DecisionNote).HasMaxLength(ServiceProject.NoteMax);
        b.Property(x => x.RequestedByUserId).HasMaxLength(450);
        b.Property(x => x.DecidedByUserId).HasMaxLength(450);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);

        // One claim holding a place per unit and project, whatever the application checked before writing.
        b.HasIndex(x => new { x.ProjectId, x.OrganisationId }).IsUnique().HasFilter("\"Status\" IN ('Requested', 'Confirmed')");
        b.HasIndex(x => new { x.OrganisationId, x.Status });
    }
}

internal sealed class ProjectReportConfiguration : IEntityTypeConfiguration<ProjectReport>
{
    public void Configure(EntityTypeBuilder<ProjectReport> b)
    {
        b.ToTable("ProjectReports");
        b.Property(x => x.Text).HasMaxLength(ServiceProject.ReportMax);
        b.Property(x => x.ByUserId).HasMaxLength(450);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProjectId, x.AtUtc });
    }
}
