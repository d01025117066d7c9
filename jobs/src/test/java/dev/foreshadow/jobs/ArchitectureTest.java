package dev.foreshadow.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering of DESIGN.md: models knows no Flink or Kafka; connectors and models never use
 * jobs.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.foreshadow");
    }

    @Test
    void modelsDependOnNeitherFlinkNorKafka() {
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
    void everyModuleIsImported() {
        org.assertj.core.api.Assertions.assertThat(classes.containPackage("dev.foreshadow.models"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(
                        classes.containPackage("dev.foreshadow.connectors"))
                .isTrue();
    }
}
