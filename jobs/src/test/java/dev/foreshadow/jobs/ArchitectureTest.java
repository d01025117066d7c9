package dev.foreshadow.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering of DESIGN.md, one rule per boundary: models knows no Flink, Kafka or
 * connectors; connectors and models never use jobs; the two jobs never import each other; only the
 * command line uses the command line; and no package depends on itself through others.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        // the connectors' test fixtures, which the jobs' tests reuse as a test jar
                        .withImportOption(location -> !location.contains("-tests.jar"))
                        .importPackages("dev.foreshadow");
    }

    @Test
    void modelsDependOnNeitherFlinkNorKafkaNorConnectors() {
        noClasses()
                .that()
                .resideInAPackage("dev.foreshadow.models..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink..", "org.apache.kafka..", "dev.foreshadow.connectors..")
                .check(classes);
    }

    @Test
    void connectorsAndModelsNeverDependOnJobs() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.foreshadow.models..", "dev.foreshadow.connectors..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.foreshadow.jobs..")
                .check(classes);
    }

    @Test
    void theShadowJobNeverImportsTheAllocationJob() {
        noClasses()
                .that()
                .resideInAPackage("dev.foreshadow.jobs.shadow..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.foreshadow.jobs.allocation..")
                .check(classes);
    }

    @Test
    void theAllocationJobNeverImportsTheShadowJob() {
        noClasses()
                .that()
                .resideInAPackage("dev.foreshadow.jobs.allocation..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.foreshadow.jobs.shadow..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyTheCommandLineUsesTheCommandLine() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.foreshadow.jobs.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.foreshadow.jobs.cli..")
                .check(classes);
    }

    @Test
    void theDemoAndTheJobsKnowNoCommandLineLibrary() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.foreshadow.jobs.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(classes);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("dev.foreshadow.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyModuleIsImported() {
        assertThat(classes.containPackage("dev.foreshadow.models.domain")).isTrue();
        assertThat(classes.containPackage("dev.foreshadow.connectors.records")).isTrue();
        assertThat(classes.containPackage("dev.foreshadow.jobs.shadow")).isTrue();
    }
}
